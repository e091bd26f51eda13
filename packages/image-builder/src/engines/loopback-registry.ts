/**
 * `localhost:<port>/…`, `127.0.0.1:<port>/…` or `[::1]:<port>/…`: an image in a registry on this machine, such as
 * kind's local registry. Such a registry serves plain HTTP and takes no credentials.
 */
export function isLoopbackRegistry(ref: string): boolean {
  return /^(?:localhost|127\.0\.0\.1|\[::1\]):\d+\//.test(ref);
}
