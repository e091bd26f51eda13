/**
 * `reflect.StructTag.Lookup`: the value of `key` in a conventional tag (`yaml:"a,omitempty" json:"a"`), or
 * undefined when the key is absent. Parsing stops, as Go's does, at the first malformed pair.
 */
export function lookupTag(tag: string, key: string): string | undefined {
  let rest = tag;
  while (rest !== '') {
    rest = rest.replace(/^ +/, '');
    // A key runs to the first space, control character, ':' or '"' (as in reflect.StructTag.Lookup).
    let end = 0;
    while (
      end < rest.length &&
      rest.charCodeAt(end) > 0x20 &&
      rest[end] !== ':' &&
      rest[end] !== '"' &&
      rest.charCodeAt(end) !== 0x7f
    )
      end++;
    const name = rest.slice(0, end);
    if (name === '' || rest[end] !== ':' || rest[end + 1] !== '"') return undefined;
    rest = rest.slice(name.length + 1);
    let j = 1;
    while (j < rest.length && rest[j] !== '"') j += rest[j] === '\\' ? 2 : 1;
    if (j >= rest.length) return undefined;
    const quoted = rest.slice(0, j + 1);
    rest = rest.slice(j + 1);
    if (name === key) return JSON.parse(quoted) as string;
  }
  return undefined;
}

/** A field's yaml tag as gopkg.in/yaml.v3 reads it. */
export interface YamlTag {
  /** The key, or '' when the tag gives none (yaml.v3 then lowercases the field name). */
  readonly name: string;
  readonly omitempty: boolean;
  readonly inline: boolean;
  readonly flow: boolean;
  /** `yaml:"-"`: the field is never read. */
  readonly skip: boolean;
  /** Options yaml.v3 does not know (it refuses the struct: "unsupported flag"). */
  readonly unknownFlags: readonly string[];
}

/**
 * yaml.v3's rule (getStructInfo): the `yaml` key of the tag; when the tag has no `yaml` key and no `:` at all,
 * the whole tag is the yaml tag (`Field string "name"`).
 */
export function yamlTag(tag: string | undefined): YamlTag {
  let value = tag === undefined ? '' : (lookupTag(tag, 'yaml') ?? '');
  if (tag !== undefined && value === '' && !tag.includes(':')) value = tag;
  if (value === '-')
    return { name: '', omitempty: false, inline: false, flow: false, skip: true, unknownFlags: [] };
  const [name = '', ...flags] = value.split(',');
  return {
    name,
    omitempty: flags.includes('omitempty'),
    inline: flags.includes('inline'),
    flow: flags.includes('flow'),
    skip: false,
    unknownFlags: flags.filter((f) => !['omitempty', 'inline', 'flow'].includes(f)),
  };
}
