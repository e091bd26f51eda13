/**
 * A `RUN` command in shell form, split into simple commands (words with quotes removed), as far as a reading
 * without running it can tell. Anything a static reading cannot follow — command substitution, loops, functions,
 * redirections into files — makes the whole command `undefined`: not understood.
 */
export function simpleCommands(script: string): string[][] | undefined {
  const commands: string[][] = [];
  let words: string[] = [];
  let word: string | undefined;
  const endWord = () => {
    if (word !== undefined) words.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === "'") {
      const end = script.indexOf("'", i + 1);
      if (end < 0) return undefined;
      word = (word ?? '') + script.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && j + 1 < script.length) value += script[++j];
        else if (script[j] === '`' || (script[j] === '$' && script[j + 1] === '(')) return undefined;
        else value += script[j];
      }
      if (j >= script.length) return undefined;
      word = (word ?? '') + value;
      i = j;
    } else if (c === '\\') {
      word = (word ?? '') + (script[i + 1] ?? '');
      i++;
    } else if (c === '`' || (c === '$' && script[i + 1] === '(')) {
      return undefined;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand();
    } else if (c === '>' || c === '<') {
      // `2>&1` and `>/dev/null` are harmless; any other redirection writes or reads a file this reading cannot follow.
      const rest = script.slice(i);
      const harmless = /^(>&[12]|>\s*\/dev\/null|<\s*\/dev\/null)/.exec(rest);
      if (!harmless) return undefined;
      if (word !== undefined && /^\d$/.test(word)) word = undefined;
      endWord();
      i += harmless[0].length - 1;
    } else word = (word ?? '') + c;
  }
  endCommand();
  return commands;
}
