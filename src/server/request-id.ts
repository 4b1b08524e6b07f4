import { randomUUID } from "node:crypto";

const safeId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's x-request-id when it is a sane token, else a new one. */
export function newRequestId(given: string | string[] | undefined): string {
  if (typeof given === "string" && safeId.test(given)) return given;
  return `req_${randomUUID().replaceAll("-", "")}`;
}
