// Why a token or a request failed. The messages are jwt_verify_lib's status strings
// (google/jwt_verify_lib src/status.cc), which Envoy's jwt_authn puts in the 401/403 body and in
// the response code details; reasons marked "envoy-as" are checks Envoy does not make or whose
// wording it does not define.

/** The outcome of verifying a token or a requirement. */
export enum Status {
  Ok,
  JwtMissed,
  JwtNotYetValid,
  JwtExpired,
  JwtBadFormat,
  JwtTooLarge,
  JwtHeaderBadBase64,
  JwtHeaderBadJson,
  JwtHeaderBadAlg,
  JwtHeaderNotImplementedAlg,
  JwtHeaderBadKid,
  JwtHeaderUnsupportedExtension,
  JwtHeaderTypeNotAllowed,
  JwtPayloadBadBase64,
  JwtPayloadBadJson,
  JwtPayloadIssNotString,
  JwtPayloadSubNotString,
  JwtPayloadJtiNotString,
  JwtPayloadIatNotInteger,
  JwtPayloadNbfNotInteger,
  JwtPayloadExpNotInteger,
  JwtPayloadIatOutOfRange,
  JwtPayloadNbfOutOfRange,
  JwtPayloadExpOutOfRange,
  JwtPayloadAudBadType,
  JwtSignatureBadBase64,
  JwtUnknownIssuer,
  JwtAudienceNotAllowed,
  JwtSubjectNotAllowed,
  JwtAuthorizedPartyNotAllowed,
  JwtExpirationMissing,
  JwtLifetimeTooLong,
  JwtVerificationFail,
  JwtEd25519SignatureWrongLength,
  JwksKidAlgMismatch,
  JwksFetchFail,
}

// prettier-ignore
@lazy const MESSAGES: StaticArray<string> = [
  "OK",
  "Jwt is missing",
  "Jwt not yet valid",
  "Jwt is expired",
  "Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections",
  "Jwt is larger than the configured limit",
  "Jwt header is an invalid Base64url encoded",
  "Jwt header is an invalid JSON",
  "Jwt header [alg] field is required and must be a string",
  "Jwt header [alg] is not supported",
  "Jwt header [kid] field is not a string",
  "Jwt header uses an extension that is not supported",
  "Jwt header [typ] is not allowed",
  "Jwt payload is an invalid Base64url encoded",
  "Jwt payload is an invalid JSON",
  "Jwt payload [iss] field is not a string",
  "Jwt payload [sub] field is not a string",
  "Jwt payload [jti] field is not a string",
  "Jwt payload [iat] field is not an integer",
  "Jwt payload [nbf] field is not an integer",
  "Jwt payload [exp] field is not an integer",
  "Jwt payload [iat] field is not a positive 64 bit integer",
  "Jwt payload [nbf] field is not a positive 64 bit integer",
  "Jwt payload [exp] field is not a positive 64 bit integer",
  "Jwt payload [aud] field is not a string or string list",
  "Jwt signature is an invalid Base64url encoded",
  "Jwt issuer is not configured",
  "Audiences in Jwt are not allowed",
  "Jwt subject is not allowed",
  "Jwt authorized party is not allowed",
  "Jwt has no expiration",
  "Jwt lifetime is longer than allowed",
  "Jwt verification fails",
  "Jwt ED25519 signature is wrong length",
  "Jwks doesn't have key to match kid or alg from Jwt",
  "Jwks remote fetch is failed",
];

// prettier-ignore
@lazy const REASONS: StaticArray<string> = [
  "ok",
  "missing",
  "not_yet_valid",
  "expired",
  "bad_format",
  "too_large",
  "header_bad_base64",
  "header_bad_json",
  "header_bad_alg",
  "alg_not_supported",
  "header_bad_kid",
  "unsupported_extension",
  "type_not_allowed",
  "payload_bad_base64",
  "payload_bad_json",
  "iss_not_string",
  "sub_not_string",
  "jti_not_string",
  "iat_not_integer",
  "nbf_not_integer",
  "exp_not_integer",
  "iat_out_of_range",
  "nbf_out_of_range",
  "exp_out_of_range",
  "aud_bad_type",
  "signature_bad_base64",
  "unknown_issuer",
  "audience_not_allowed",
  "subject_not_allowed",
  "azp_not_allowed",
  "expiration_missing",
  "lifetime_too_long",
  "verification_failed",
  "ed25519_signature_wrong_length",
  "no_matching_key",
  "jwks_fetch_failed",
];

/** Returns the status string Envoy answers with (jwt_verify_lib wording where it has one). */
export function statusMessage(status: Status): string {
  return MESSAGES[<i32>status];
}

/** Returns the short snake_case name used as the `reason` metric label. */
export function statusReason(status: Status): string {
  return REASONS[<i32>status];
}

/** Returns the HTTP status of a denial: 403 for a wrong audience, 401 for everything else (Envoy filter.cc). */
export function httpStatusOf(status: Status): u32 {
  return status == Status.JwtAudienceNotAllowed ? 403 : 401;
}

/** Returns Envoy's response code details for a denial: `jwt_authn_access_denied{<message with _ for spaces>}`. */
export function detailsOf(status: Status): string {
  return "jwt_authn_access_denied{" + statusMessage(status).replaceAll(" ", "_") + "}";
}

/**
 * Whether `status` may replace `current` (Ok when none yet) as the error of a requires_any: the
 * last failure wins, but a missing token or an unknown issuer never hides a more specific failure
 * (Envoy group_verifier_test.cc), and a missing token never hides a token of an unknown issuer.
 */
export function overrides(status: Status, current: Status): bool {
  if (current == Status.Ok || current == Status.JwtMissed) return status != Status.JwtMissed || current == Status.Ok;
  return status != Status.JwtMissed && status != Status.JwtUnknownIssuer;
}
