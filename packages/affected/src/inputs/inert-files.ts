/**
 * Files that no build compiles and no E2E suite reads, by their kind: documentation, and the configuration of tools
 * that do not take part in building or testing (linters, editors, git, dependabot). A changed file that no suite
 * declares, that is not Go code, and is not one of these, is one `affected` cannot place: every suite counts as
 * affected, because a suite's Go test code may read any repository file at run time.
 *
 * CI workflows (`.github/workflows/`) are not inert: they decide how the suites run.
 */
const DOCUMENTATION = [
  /\.(md|markdown|adoc|asciidoc|rst)$/i,
  /^docs?\//,
  /(^|\/)(LICENSE|LICENCE|NOTICE|AUTHORS|CONTRIBUTORS|CODEOWNERS|OWNERS|OWNERS_ALIASES|MAINTAINERS|CHANGELOG|SECURITY)(\.[A-Za-z]+)?$/,
];
const TOOLING = [
  /^\.github\/(?!workflows\/)/,
  /(^|\/)\.golangci\.ya?ml$/,
  /(^|\/)\.(gitignore|gitattributes|gitmodules|mailmap|editorconfig|markdownlint[^/]*|yamllint[^/]*|pre-commit-config\.yaml|codecov\.ya?ml|gitleaks\.toml|govulncheck[^/]*|trivyignore)$/,
  /(^|\/)(renovate\.json5?|\.renovaterc(\.json)?|dependabot\.ya?ml)$/,
];

/** Why a file is inert (`documentation`, `tooling configuration`), or undefined when it may be read by a suite. */
export function inertKind(path: string): string | undefined {
  if (DOCUMENTATION.some((pattern) => pattern.test(path))) return 'documentation';
  if (TOOLING.some((pattern) => pattern.test(path)))
    return 'configuration of a tool that neither builds nor tests';
  return undefined;
}
