import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
function parentAndState(pid) {
    try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // The command name may contain spaces and parentheses: the fields start after the LAST ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return { state: fields[0] ?? '', ppid: Number(fields[1]) };
    }
    catch {
        return undefined;
    }
}
/** The Linux process table under `/proc`. */
export const procTree = {
    supported: process.platform === 'linux',
    descendants(root) {
        const children = new Map();
        let entries;
        try {
            entries = readdirSync('/proc');
        }
        catch {
            return [];
        }
        for (const name of entries) {
            if (!/^\d+$/.test(name))
                continue;
            const pid = Number(name);
            const info = parentAndState(pid);
            if (!info)
                continue;
            const list = children.get(info.ppid) ?? [];
            list.push(pid);
            children.set(info.ppid, list);
        }
        const found = [];
        const queue = [...(children.get(root) ?? [])];
        while (queue.length > 0) {
            const pid = queue.shift();
            found.push({ pid, executable: procTree.executable(pid) });
            queue.push(...(children.get(pid) ?? []));
        }
        return found;
    },
    findChild(parent, argv) {
        let entries;
        try {
            entries = readdirSync('/proc');
        }
        catch {
            return undefined;
        }
        const base = (file) => file.slice(file.lastIndexOf('/') + 1);
        for (const name of entries) {
            if (!/^\d+$/.test(name))
                continue;
            const pid = Number(name);
            if (parentAndState(pid)?.ppid !== parent)
                continue;
            let cmdline;
            try {
                cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
            }
            catch {
                continue;
            }
            if (cmdline.at(-1) === '')
                cmdline.pop();
            if (cmdline.length === argv.length &&
                base(cmdline[0] ?? '') === base(argv[0] ?? '') &&
                cmdline.every((arg, i) => i === 0 || arg === argv[i])) {
                return pid;
            }
        }
        return undefined;
    },
    startTime(pid) {
        try {
            const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
            return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
        }
        catch {
            return undefined;
        }
    },
    executable(pid) {
        try {
            return readlinkSync(`/proc/${pid}/exe`);
        }
        catch {
            return undefined;
        }
    },
    alive(pid) {
        try {
            process.kill(pid, 0);
        }
        catch (error) {
            if (error.code !== 'EPERM')
                return false;
        }
        const info = parentAndState(pid);
        if (!info)
            return process.platform !== 'linux';
        return info.state !== 'Z' && info.state !== 'X';
    },
    signal(pid, signal) {
        try {
            process.kill(pid, signal);
        }
        catch {
            // Gone already: that is what we wanted.
        }
    },
};
