import { InvalidRequestError } from "../core/errors.js";

/** Longest episode id, tag, and number of tags a request may carry. */
export const MAX_EPISODE_ID_LENGTH = 200;
export const MAX_TAG_LENGTH = 200;
export const MAX_TAGS = 32;

/** What a client says about a request beyond its body: the episode it belongs to and its tags. */
export interface RequestIdentity {
  episodeId?: string;
  tags?: string[];
}

const PRINTABLE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(",") : value;
}

/**
 * The episode id (`x-rightsize-episode`) and tags (`x-rightsize-tags: a, team=search`, plus the
 * body's `metadata` object as `key=value`) of a request: trimmed, deduplicated, sorted. A value
 * that is not printable ASCII or too long is a 400 naming the header or `metadata`.
 */
export function parseRequestIdentity(headers: Readonly<Record<string, string | string[] | undefined>>, body: unknown): RequestIdentity {
  const identity: RequestIdentity = {};
  const episode = headerValue(headers["x-rightsize-episode"])?.trim();
  if (episode !== undefined && episode !== "") {
    if (episode.length > MAX_EPISODE_ID_LENGTH || !PRINTABLE.test(episode)) {
      throw new InvalidRequestError(`x-rightsize-episode must be printable ASCII of at most ${MAX_EPISODE_ID_LENGTH} characters.`, {
        param: "x-rightsize-episode",
        code: "invalid_episode",
      });
    }
    identity.episodeId = episode;
  }
  const tags = new Set<string>();
  const header = headerValue(headers["x-rightsize-tags"]);
  if (header !== undefined) {
    for (const part of header.split(",")) {
      const tag = part.trim();
      if (tag === "") continue;
      checkTag(tag, "x-rightsize-tags");
      tags.add(tag);
    }
  }
  const metadata = typeof body === "object" && body !== null ? (body as { metadata?: unknown }).metadata : undefined;
  if (metadata !== undefined && metadata !== null) {
    if (typeof metadata !== "object" || Array.isArray(metadata)) {
      throw new InvalidRequestError("metadata must be an object of string values.", { param: "metadata", code: "invalid_metadata" });
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") {
        throw new InvalidRequestError(`metadata.${key} must be a string.`, { param: `metadata.${key}`, code: "invalid_metadata" });
      }
      const tag = `${key}=${value}`;
      checkTag(tag, `metadata.${key}`);
      tags.add(tag);
    }
  }
  if (tags.size > MAX_TAGS) {
    throw new InvalidRequestError(`a request carries at most ${MAX_TAGS} tags, got ${tags.size}.`, {
      param: "x-rightsize-tags",
      code: "invalid_tags",
    });
  }
  if (tags.size > 0) identity.tags = [...tags].sort();
  return identity;
}

function checkTag(tag: string, param: string): void {
  if (tag.length > MAX_TAG_LENGTH || !PRINTABLE.test(tag)) {
    throw new InvalidRequestError(`${param}: a tag must be printable ASCII of at most ${MAX_TAG_LENGTH} characters.`, {
      param,
      code: "invalid_tags",
    });
  }
}
