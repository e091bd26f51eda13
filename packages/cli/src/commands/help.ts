import { type CliArgs, usage } from '../args.js';
import { serviceListing } from '../help/service-listing.js';
import { type CliIo, ExitCode } from '../io.js';

/** `--help`: the commands, the services of the project config (from the cache when it is unchanged), the options. */
export async function helpCommand(args: CliArgs, io: CliIo): Promise<number> {
  const listing = await serviceListing(args, io);
  io.stdout(usage(listing.services, listing.file));
  return ExitCode.Ok;
}
