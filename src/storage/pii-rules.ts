import type { RedactionRule } from "./secret-rules.js";

/** The kinds of personal data the opt-in PII set redacts. */
export const PII_KINDS = ["email", "phone", "card", "iban"] as const;
export type PiiKind = (typeof PII_KINDS)[number];

const placeholder = (kind: PiiKind) => `[REDACTED:${kind}]`;

/** Luhn checksum of a digit string (payment card numbers). */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check of an IBAN without spaces: move the first four characters to the end, letters to numbers, mod 97 = 1. */
export function passesIbanCheck(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const digitCount = (text: string) => text.replace(/\D/g, "").length;

/**
 * Personal data by shape, each checked further where a shape alone would hit ordinary numbers:
 * card numbers must pass Luhn, IBANs their mod-97 check, phone numbers need 9–15 digits and a
 * phone-like layout (a leading +, or a (area) code, or 3-3-4 groups), so dates, versions, IP
 * addresses and order numbers stay.
 */
export const PII_RULES: Readonly<Record<PiiKind, RedactionRule>> = {
  email: {
    pattern:
      /(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])/g,
    replace: placeholder("email"),
  },
  card: {
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    replace: (match) => {
      const digits = match.replace(/\D/g, "");
      return digits.length >= 13 && digits.length <= 19 && passesLuhn(digits) ? placeholder("card") : match;
    },
  },
  iban: {
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g,
    replace: (match) => {
      const compact = match.replace(/ /g, "");
      return compact.length >= 15 && compact.length <= 34 && passesIbanCheck(compact) ? placeholder("iban") : match;
    },
  },
  phone: {
    pattern:
      /(?<![\w+.-])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}|\(\d{2,4}\)[ .-]?\d{3,4}[ .-]?\d{3,4}|\d{3}[ .-]\d{3}[ .-]\d{4})(?![\w.-]*\d)/g,
    replace: (match) => {
      const digits = digitCount(match);
      return digits >= 9 && digits <= 15 ? placeholder("phone") : match;
    },
  },
};

/** Cards and IBANs are checked before phone numbers, whose shape would also take their digit groups. */
export const PII_ORDER: readonly PiiKind[] = ["email", "card", "iban", "phone"];
