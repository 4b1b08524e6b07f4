/** A one-line progress bar on a TTY; on a pipe, one line per stage. */
export function createProgressBar(stream: NodeJS.WriteStream): {
  update: (done: number, total: number, stage: string) => void;
  done: () => void;
} {
  let lastStage = "";
  let drawn = false;
  return {
    update: (done, total, stage) => {
      const share = total > 0 ? Math.min(1, done / total) : 1;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${Math.round(share * 100)}% ${stage}   `);
        drawn = true;
      } else if (stage !== lastStage || done === total) {
        stream.write(`${stage}: ${done}/${total}\n`);
      }
      lastStage = stage;
    },
    done: () => {
      if (drawn) stream.write("\n");
    },
  };
}
