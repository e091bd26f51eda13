import { z } from 'zod';

/** A TCP port on the host: an integer 1–65535. */
export const hostPortSchema = z
  .number({ error: 'expected a port number (an integer from 1 to 65535)' })
  .int({ error: (issue) => `${String(issue.input)} is not a valid port: use an integer from 1 to 65535` })
  .min(1, { error: (issue) => `${String(issue.input)} is not a valid port: use an integer from 1 to 65535` })
  .max(65_535, {
    error: (issue) => `${String(issue.input)} is not a valid port: use an integer from 1 to 65535`,
  });

/** Host ports mapped by one cluster: each valid, none twice (two mappings cannot bind the same port). */
export const hostPortsSchema = z.array(hostPortSchema).superRefine((ports, ctx) => {
  const seen = new Map<number, number>();
  ports.forEach((port, index) => {
    const first = seen.get(port);
    if (first === undefined) {
      seen.set(port, index);
      return;
    }
    ctx.addIssue({
      code: 'custom',
      path: [index],
      message: `host port ${port} is listed twice (also at index ${first}): each host port can be mapped only once`,
    });
  });
});
