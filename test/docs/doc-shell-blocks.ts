import { readFileSync } from "node:fs";

/** A fenced shell block of a markdown file, as a reader would copy it. */
export interface ShellBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** Logical command lines (backslash continuations joined), comments left for the shell. */
  commands: string[];
  /** Set when the block opts out: the reason given in its `<!-- docs-test: skip (…) -->` line. */
  skip?: string;
}

const SHELL_LANGUAGES = new Set(["sh", "bash", "shell", "console", "zsh"]);
const SKIP_MARKER = /^<!--\s*docs-test:\s*skip\s*\((.+)\)\s*-->$/;

/** Every ```sh / ```bash / ```shell / ```console block of a markdown file. */
export function shellBlocks(file: string): ShellBlock[] {
  const lines = readFileSync(file, "utf8").split("\n");
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i] as string);
    if (!fence) continue;
    const end = lines.findIndex((text, j) => j > i && text.startsWith("```"));
    const body = lines.slice(i + 1, end < 0 ? lines.length : end);
    if (SHELL_LANGUAGES.has(fence[1] ?? "")) {
      let previous = i - 1;
      while (previous >= 0 && (lines[previous] as string).trim() === "") previous--;
      const skip = SKIP_MARKER.exec((lines[previous] ?? "").trim())?.[1];
      blocks.push({ file, line: i + 1, commands: joinContinuations(body), ...(skip ? { skip } : {}) });
    }
    i = end < 0 ? lines.length : end;
  }
  return blocks;
}

/** The first ```ts block that creates an OpenAI client: the README's client snippet. */
export function clientSnippet(file: string): string | undefined {
  const text = readFileSync(file, "utf8");
  for (const match of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    if (match[1]?.includes("new OpenAI(")) return match[1];
  }
  return undefined;
}

function joinContinuations(body: string[]): string[] {
  const commands: string[] = [];
  let pending = "";
  for (const raw of body) {
    const text = raw.trimEnd();
    if (text.endsWith("\\")) {
      pending += `${text.slice(0, -1)} `;
      continue;
    }
    const command = (pending + text).trim();
    pending = "";
    if (command !== "" && !command.startsWith("#")) commands.push(command);
  }
  if (pending.trim() !== "") commands.push(pending.trim());
  return commands;
}
