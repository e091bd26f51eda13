/** Node's `process.arch` → Go's `GOARCH` (and the OCI platform architecture). */
const GOARCH_BY_NODE_ARCH = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
};
/**
 * The Go architecture of this host, e.g. `amd64` on x86-64 and `arm64` on Apple silicon. Kind runs
 * nodes of the host's architecture, so images are built for it (no emulation, no cross-arch surprise).
 */
export function hostGoArch(nodeArch = process.arch) {
    return GOARCH_BY_NODE_ARCH[nodeArch];
}
