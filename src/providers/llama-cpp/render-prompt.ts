import type { ChatHistoryItem, ChatModelFunctions, LlamaTextJSON, Token } from "node-llama-cpp";
import type { LoadedModel } from "./local-model-host.js";

export interface RenderedPrompt {
  /** The exact prompt tokens evaluated (what `usage.prompt_tokens` counts). */
  tokens: Token[];
  /** Plain-text stop triggers of the chat template (the end-of-turn markers written as text). */
  templateStops: string[];
  /** Single-token stop triggers of the chat template (besides the model's end-of-generation tokens). */
  stopTokens: Set<Token>;
}

/**
 * The prompt for a chat history whose last item is the model response to write.
 *
 * With a chat template in the GGUF metadata (`tokenizer.chat_template`) the history goes
 * through node-llama-cpp's chat wrapper for it (a specialised wrapper when the template is
 * recognised, else the Jinja template itself). Without one — base models such as
 * stories260K — the fallback is plain-text continuation: the texts of the messages joined
 * by a blank line, BOS first when the model wants it, and the model continues the text.
 */
export function renderPrompt(loaded: LoadedModel, history: readonly ChatHistoryItem[], functions?: ChatModelFunctions): RenderedPrompt {
  const { model, chatWrapper } = loaded;
  if (!chatWrapper) {
    const text = history
      .map((item) => (item.type === "model" ? item.response.filter((part) => typeof part === "string").join("") : plain(item.text)))
      .filter((part) => part !== "")
      .join("\n\n");
    const bos = model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
    const tokens = model.tokenize(text, false);
    return { tokens: bos === null ? tokens : [bos, ...tokens], templateStops: [], stopTokens: new Set() };
  }
  const state = chatWrapper.generateContextState({ chatHistory: history, availableFunctions: functions });
  const templateStops: string[] = [];
  const stopTokens = new Set<Token>();
  for (const trigger of state.stopGenerationTriggers) {
    if (trigger.values.every((value) => typeof value === "string")) {
      const text = trigger.values.join("");
      if (text !== "") templateStops.push(text);
      continue;
    }
    const tokens = trigger.tokenize(model.tokenizer);
    const first = tokens[0];
    if (tokens.length === 1 && first !== undefined && !model.isEogToken(first)) stopTokens.add(first);
  }
  return { tokens: state.contextText.tokenize(model.tokenizer), templateStops, stopTokens };
}

function plain(text: string | LlamaTextJSON): string {
  if (typeof text === "string") return text;
  return text.map((value) => (typeof value === "string" ? value : value.value)).join("");
}
