// A real OpenID Provider for Vern's tests: panva's oidc-provider (certified by the OpenID
// Foundation), on 127.0.0.1, on ports the OS picks. Nothing of the protocol is mocked: discovery,
// the authorization endpoint with PKCE, the token endpoint, JWKS, userinfo and RP-initiated
// logout are the library's own. Only the login screen is ours (a form that takes the account
// and which factors "were used", because a test has no person to type a password).
//
// Two providers run in this process ("a" and "b", different issuers and keys, the same
// clients), so a test can present a real token of the wrong issuer.
//
// Environment: VERN_TEST_REDIRECT_URIS, VERN_TEST_POST_LOGOUT_URIS (comma-separated);
// VERN_TEST_PORT: the port of provider "a" (default: any free port; to try Vern locally,
// docs/operations.md).
// Prints one JSON line when both listen: {"a": "http://127.0.0.1:P/", "b": "..."}.
import { createServer } from "node:http";
import { generateKeyPairSync } from "node:crypto";
import Provider from "oidc-provider";

const redirectUris = (process.env.VERN_TEST_REDIRECT_URIS || "").split(",").filter(Boolean);
const postLogoutUris = (process.env.VERN_TEST_POST_LOGOUT_URIS || "").split(",").filter(Boolean);

function clients() {
  const base = {
    redirect_uris: redirectUris,
    post_logout_redirect_uris: postLogoutUris,
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
    id_token_signed_response_alg: "RS256",
  };
  return [
    { ...base, client_id: "vern", client_secret: "vern-test-secret-0123456789abcdef" },
    { ...base, client_id: "other-app", client_secret: "other-test-secret-0123456789abcdef" },
  ];
}

function signingKey(kid) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" };
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readForm(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(new URLSearchParams(body)));
    req.on("error", reject);
  });
}

function makeProvider(issuer, name) {
  const provider = new Provider(issuer, {
    clients: clients(),
    jwks: { keys: [signingKey(`test-${name}`)] },
    pkce: { required: () => true },
    acrValues: ["urn:vern:test:mfa", "urn:vern:test:password"],
    claims: {
      // As Entra ID does: the object id (oid) and the factors in the ID token itself.
      openid: ["sub", "oid", "acr", "amr", "auth_time"],
      email: ["email", "email_verified"],
      profile: ["name"],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true },
      // Dynamic client registration (RFC 7591): the browser test registers a client for its
      // live server, whose port is known only then.
      registration: { enabled: true },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: `${sub}@kommune.test`,
            email_verified: true,
            name: `Test ${sub}`,
            oid: `oid-${sub}`,
          };
        },
      };
    },
    // Short-lived cookies are fine for a test; the provider refuses to run on http only in
    // production mode, which this is not.
    ttl: { IdToken: 3600, AccessToken: 3600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  });

  const callback = provider.callback();
  return async (req, res) => {
    const match = req.url.match(/^\/interaction\/([^/?]+)/);
    if (!match) {
      return callback(req, res);
    }
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        if (req.method === "POST") {
          const form = await readForm(req);
          const amr = (form.get("amr") || "").split(",").filter(Boolean);
          const login = { accountId: form.get("sub"), amr };
          if (form.get("acr")) login.acr = form.get("acr");
          return await provider.interactionFinished(req, res, { login }, { mergeWithLastSubmission: false });
        }
        res.setHeader("Content-Type", "text/html; charset=utf-8");
        res.end(
          `<!doctype html><title>Test provider</title><form method="post" action="/interaction/${escapeHtml(details.uid)}">` +
            `<p><label>Account (sub) <input name="sub" required></label></p>` +
            `<p><label>amr, comma-separated (pwd,mfa = a second factor was used) <input name="amr" value="pwd,mfa"></label></p>` +
            `<p><label>acr (optional) <input name="acr"></label></p><button>Sign in</button></form>`,
        );
        return undefined;
      }
      // The consent prompt: staff sign in to their employer's application; grant what it asked.
      const { params, session } = details;
      const grant = details.grantId
        ? await provider.Grant.find(details.grantId)
        : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
      const missing = details.prompt.details;
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.statusCode = 400;
      res.setHeader("Content-Type", "text/plain; charset=utf-8");
      res.end(`interaction failed: ${err.message}`);
      return undefined;
    }
  };
}

function listen(name, port) {
  return new Promise((resolve) => {
    let handler = null;
    const server = createServer((req, res) => handler(req, res));
    server.listen(port, "127.0.0.1", () => {
      const issuer = `http://127.0.0.1:${server.address().port}`;
      handler = makeProvider(issuer, name);
      resolve(issuer);
    });
  });
}

const [a, b] = await Promise.all([listen("a", Number(process.env.VERN_TEST_PORT || 0)), listen("b", 0)]);
process.stdout.write(`${JSON.stringify({ a, b })}\n`);
process.stdin.resume();
process.stdin.on("end", () => process.exit(0)); // the test closed our stdin: it has finished
