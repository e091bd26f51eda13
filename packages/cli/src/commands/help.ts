import { type CliArgs, usage } from '../args.js';
import { type CliIo, ExitCode } from '../io.js';
import { findProjectConfig } from '../project-config.js';

/** `--help`: the commands, the services of the project config in force (loaded, as every command does), the options. */
export async function helpCommand(args: CliArgs, io: CliIo): Promise<number> {
  const config = await findProjectConfig(args, io.cwd);
  const services = (config?.services ?? []).map(({ name, description }) => ({
    name,
    ...(description !== undefined ? { description } : {}),
  }));
  io.stdout(usage(services, config?.file));
  return ExitCode.Ok;
}
