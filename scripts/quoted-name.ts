// A file name as the command-line tools print it: always in double quotes, with every character
// that could act on the terminal or on the lines around it escaped, so that a name can never end
// its own line, start a terminal escape, reorder the text after it (bidi controls) or hide in
// invisible characters — and so never forge a verdict line of its own ("x.mp4: Made by Kinora" +
// newline). A quote inside the name is escaped too, so the name ends where the closing quote is.

/** Controls (C0, DEL, C1), format characters (bidi controls, zero-width ones) and the line and paragraph separators. */
const UNSEEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

export function quotedName(name: string): string {
  // JSON's string syntax quotes and escapes C0 controls, quotes and backslashes, and lone surrogates;
  // what it leaves raw that a terminal acts on gets the same \u escape.
  return JSON.stringify(name).replace(UNSEEN, (c) => {
    const code = c.codePointAt(0)!;
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
