/**
 * Real-format samples (made-up values in the exact shape each issuer uses) that redaction must
 * catch, and look-alikes it must leave alone. Each sample is a line of text as it would appear
 * in a prompt or an answer; `secret` is the part that must disappear.
 */
export interface Sample {
  name: string;
  text: string;
  secret: string;
}

const pgpBody = "lQOYBGXa2m0BCAC7kq9w0m3J4xL8Yc2p5Vw6Tn1RzQe0a9bFhK3LmNoPqRsTuVwXyZ0123456789+/=";

export const SECRET_SAMPLES: readonly Sample[] = [
  {
    name: "Stripe live secret key",
    text: "STRIPE=sk_live_51Hx8YzAbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOp",
    secret: "sk_live_51Hx8Yz",
  },
  { name: "Stripe restricted key", text: "use rk_live_51Hx8YzAbCdEfGhIjKlMnOpQrStUv for reads", secret: "rk_live_51Hx8Yz" },
  { name: "Stripe test key", text: "Stripe.api_key = 'sk_test_4eC39HqLyjWDarjtT1zdp7dc'", secret: "sk_test_4eC39Hq" },
  { name: "Stripe webhook secret", text: "endpoint secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", secret: "whsec_MfKQ9r8" },
  {
    name: "AWS secret in an ini file",
    text: "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    secret: "wJalrXUtnFEMI",
  },
  {
    name: "AWS secret as an env variable",
    text: "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    secret: "wJalrXUtnFEMI",
  },
  { name: "AWS secret in JSON", text: '{"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}', secret: "wJalrXUtnFEMI" },
  { name: "Hugging Face token", text: "login with hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567 please", secret: "hf_AbCdEfGhIj" },
  { name: "HF token as env variable", text: "HF_TOKEN=hf_ZyXwVuTsRqPoNmLkJiHgFeDcBa98765432", secret: "hf_ZyXwVuTs" },
  {
    name: "RSA private key",
    text: "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB\naw0B9TvZ7mpc5Ew+JZAs9pr8ZMyfhSmTB4XhxtNpCcgH3LsxYPMqfXUW7gvgGVzK\n-----END RSA PRIVATE KEY-----",
    secret: "MIIEowIBAAKCAQEA",
  },
  {
    name: "EC private key",
    text: "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIIGlRW8gQcnq6xHE4CkqFDk9mMg2lqJ6wzL8k6xQj3hFoAoGCCqGSM49\n-----END EC PRIVATE KEY-----",
    secret: "MHcCAQEEIIGlRW8",
  },
  {
    name: "encrypted PKCS#8 key",
    text: "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI3+FrUBMHiJ8CAggA\n-----END ENCRYPTED PRIVATE KEY-----",
    secret: "MIIFHDBOBgkqhkiG",
  },
  {
    name: "PGP private key block with armor headers",
    text: `-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\nComment: my key\n\n${pgpBody}\n=Xq3v\n-----END PGP PRIVATE KEY BLOCK-----`,
    secret: "lQOYBGXa2m0B",
  },
  {
    name: "private key inside JSON",
    text: JSON.stringify({ key: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n" }),
    secret: "MIIEvQIBADAN",
  },
  { name: "Postgres URL with a password", text: "DATABASE_URL=postgres://app:s3cr3t-Pa55@db.internal:5432/prod", secret: "s3cr3t-Pa55" },
  { name: "HTTPS URL with credentials", text: "curl https://deploy:pa%24%24w0rd@registry.example.com/v2/", secret: "pa%24%24w0rd" },
  { name: "Redis URL with an empty user", text: "redis://:hunter2hunter2@cache:6379/0", secret: "hunter2hunter2" },
  { name: "OpenAI key", text: "OPENAI_API_KEY=sk-proj-Ab3dEfGhIjKlMnOpQrStUvWxYz0123456789", secret: "sk-proj-Ab3d" },
  {
    name: "GitHub token in a clone URL",
    text: "git clone https://ghp_0123456789abcdefghijABCDEFGHIJklmnop@github.com/o/r.git",
    secret: "ghp_0123456789",
  },
  { name: "Django secret key", text: "SECRET_KEY = 'django-insecure-8g$k2@x!q9#m^z'", secret: "django-insecure" },
  { name: "client secret in YAML", text: "oauth:\n  client_secret: 9f8e7d6c5b4a3f2e1d0c", secret: "9f8e7d6c5b4a" },
];

/** Text that looks a little like a credential and must come through unchanged. */
export const LOOK_ALIKES: readonly string[] = [
  "Explain how tokens and keys work in a keyboard layout, and what a monkey is.",
  'The request had "max_tokens": 4096 and "prompt_tokens": 12.',
  "The password must be at least 12 characters long.",
  "Call hf_hub_download(repo_id='bert-base') from huggingface_hub; set HF_HUB_ENABLE_HF_TRANSFER=1.",
  "Stripe keys start with sk_live_ or sk_test_; never commit them.",
  "Open https://example.com:8080/path?q=1 and http://localhost:3000/api.",
  "git@github.com:owner/repo.git is an SSH remote; so is ssh://git@github.com/owner/repo.",
  "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
  "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEx9e8XnS5Jv1\n-----END PUBLIC KEY-----",
  "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 alice@laptop",
  "The AKIA prefix marks AWS access key ids; AWS secret keys are 40 characters.",
  "skills: sk-learn is a typo for scikit-learn",
];

export interface PiiSample {
  kind: "email" | "phone" | "card" | "iban";
  text: string;
  value: string;
}

export const PII_SAMPLES: readonly PiiSample[] = [
  { kind: "email", text: "Write to alice.smith+billing@mail.example.co.uk today.", value: "alice.smith+billing@mail.example.co.uk" },
  { kind: "email", text: '{"from": "bob@example.org"}', value: "bob@example.org" },
  { kind: "phone", text: "Call +1 415 555 0132 after 5.", value: "+1 415 555 0132" },
  { kind: "phone", text: "UK office: +44 20 7946 0958.", value: "+44 20 7946 0958" },
  { kind: "phone", text: "Or (415) 555-0132, or 415-555-0132.", value: "(415) 555-0132" },
  { kind: "phone", text: "Mobile +49 (0)151 23456789", value: "+49 (0)151 23456789" },
  { kind: "card", text: "Visa 4111 1111 1111 1111 exp 12/29", value: "4111 1111 1111 1111" },
  { kind: "card", text: "card=5500-0000-0000-0004;", value: "5500-0000-0000-0004" },
  { kind: "card", text: "Amex 378282246310005.", value: "378282246310005" },
  { kind: "iban", text: "IBAN GB82 WEST 1234 5698 7654 32 please", value: "GB82 WEST 1234 5698 7654 32" },
  { kind: "iban", text: "pay to DE89370400440532013000.", value: "DE89370400440532013000" },
];

/** Numbers and addresses that resemble personal data and must stay even with PII redaction on. */
export const PII_LOOK_ALIKES: readonly string[] = [
  "Released 2026-11-27 as v1.2.3 on 192.168.100.200.",
  "Order 123456789 shipped; tracking 1Z999AA10123456784.",
  "4111 1111 1111 1112 fails the Luhn check, so it is no card.",
  "GB00 WEST 1234 5698 7654 32 fails the IBAN check.",
  "Install react@18.2.0 and mention @alice in the thread; mail root@localhost.",
  "The answer is 3.14159265358979 (pi), and 1,000,000 is a million.",
  "Timestamp 1735689600000 ms since the epoch.",
];
