// The envoy-as SDK: write proxy-wasm filters for Envoy in AssemblyScript.
// A filter's entry file also re-exports the ABI callbacks: `export * from "<sdk>/abi/exports"`.

export * from "./types";
export { Header, joinedHeaderValue, removeHeaderEntries, requestHeaderKey } from "./header";
export { StringBuilder } from "./string-builder";
export { asciiLowerCase } from "./ascii-case";
export { HttpContext, RootContext, TcpContext } from "./contexts";
export { registerRootContext, RootContextFactory } from "./dispatcher";
export { HeaderMap, request, response } from "./headers";
export { HeaderSnapshot } from "./header-snapshot";
export { log, logCritical, logDebug, logError, logInfo, logLevel, logTrace, logWarn } from "./log";
export {
  closeRequest,
  closeResponse,
  continueRequest,
  continueResponse,
  resetStream,
  sendGrpcLocalResponse,
  sendLocalResponse,
  sendLocalResponseBytes,
} from "./stream";
export { Body, BodyOverflow, WholeBody } from "./body";
export { closeDownstream, closeUpstream, continueDownstream, downstream, upstream } from "./tcp";
export {
  Scalar,
  connectionMtls,
  getProperty,
  getPropertyBool,
  getPropertyBoolOr,
  getPropertyDuration,
  getPropertyF64,
  getPropertyI64,
  getPropertyI64Or,
  getPropertyMap,
  getPropertyString,
  getPropertyTimestamp,
  getPropertyU64,
  getPropertyU64Or,
  pluginName,
  pluginRootId,
  pluginVmId,
  propertyStatus,
  requestHeader,
  requestHeaders,
  requestHost,
  requestMethod,
  requestPath,
  responseCode,
  setProperty,
  setPropertyString,
  sourceAddress,
  sourcePort,
  uriSanPeerCertificate,
} from "./properties";
export { pluginConfiguration, pluginConfigurationJson } from "./configuration";
export { JsonKind, JsonResult, JsonValue } from "./json/value";
export { JsonLimits, parseJson, parseJsonString } from "./json/parser";
export { JsonReader } from "./json/reader";
export { jsonNumberText, jsonQuote, stringifyJson, writeJsonString } from "./json/writer";
export { JsonEdit, jsonRemoveAt, jsonSetAt, parseJsonPath } from "./json/edit";
export {
  CalloutResult,
  HttpCallHandler,
  HttpCallRequest,
  HttpCallResponse,
  httpCall,
  pendingHttpCalls,
} from "./callouts";
export {
  GrpcCallHandler,
  GrpcCallResponse,
  GrpcStream,
  GrpcStreamHandler,
  GrpcStreamResult,
  cancelGrpcCall,
  grpcCall,
  openGrpcStream,
} from "./grpc";
export { currentContextId, done, setEffectiveContext } from "./context-state";
export {
  SharedDataValue,
  compareAndSetSharedData,
  createSharedData,
  getSharedData,
  setSharedData,
  setSharedDataText,
} from "./shared-data";
export { SharedQueue } from "./shared-queue";
export {
  Counter,
  CounterFamily,
  Gauge,
  GaugeFamily,
  Histogram,
  HistogramFamily,
  Label,
  incrementMetric,
  metricName,
  recordMetric,
} from "./metrics";
export { currentTimeMilliseconds, currentTimeNanoseconds, setTickPeriod } from "./timers";
export { ForeignResult, callForeignFunction, compress, foreignFunctionArguments, uncompress } from "./foreign";
export { HostStatus, TokenResult } from "./abi/callout-hostcalls";
export { decodeBase64Url, decodeBase64UrlBytes, encodeBase64Url } from "./crypto/base64url";
export { constantTimeEqual } from "./crypto/constant-time";
export { HashAlgorithm, digest, digestLength, sha256, sha384, sha512 } from "./crypto/sha2";
export { HmacKey, hmac, verifyHmac } from "./crypto/hmac";
export { RsaVerifier, verifyRsaPkcs1, verifyRsaPss } from "./crypto/rsa";
export { Curve as EcdsaCurve, verifyEcdsa } from "./crypto/ec/ecdsa";
export { verifyEd25519 } from "./crypto/ed25519/verify";
export {
  EcCurve,
  EcPublicKey,
  Jwk,
  JwkResult,
  JwksResult,
  KeyType,
  OctKey,
  OkpPublicKey,
  RsaPublicKey,
  coordinateLength,
  jwkFromJson,
  parseJwk,
  parseJwks,
  readJwk,
} from "./crypto/jwk";
export { Regex, RegexCompileResult, RegexMatch, Rewrite, RewriteResult } from "./regex";
export {
  CidrRange,
  CidrRangeResult,
  CidrSet,
  IpAddress,
  PathTemplate,
  PathTemplateResult,
  StringMatchKind,
  StringMatcher,
  StringMatcherIndex,
  StringMatcherResult,
  parseCidr,
  readStringMatcher,
} from "./matchers";
export {
  CEL_FALSE,
  CEL_NULL,
  CEL_TRUE,
  CelBindings,
  CelBool,
  CelBytes,
  CelCompileResult,
  CelDouble,
  CelDuration,
  CelError,
  CelInt,
  CelKind,
  CelList,
  CelMap,
  CelMapPut,
  CelMapValue,
  CelNull,
  CelOptions,
  CelProgram,
  CelResolver,
  CelString,
  CelTimestamp,
  CelType,
  CelUint,
  CelValue,
  celBool,
  celInt,
  celText,
} from "./cel";
export {
  EnvoyAttributes,
  HeaderAttributeMap,
  JWT_PRINCIPAL_PROPERTY,
  jsonToCel,
  noSuchAttribute,
} from "./cel-attributes";
export { JWT_CLAIMS_PROPERTY, verifiedJwtClaims } from "./jwt-claims";
export { formatEpochSeconds, formatStartTime, formatTime, isValidTimeFormat } from "./time-format";
export { QueryString, percentDecode, percentEncodeQuery } from "./query-string";
export { parseDouble } from "./parse-double";
export { fillRandom, randomBytes } from "./random";
export { ProtoReader, WIRE_FIXED32, WIRE_FIXED64, WIRE_LENGTH, WIRE_VARINT } from "./protobuf";
export { decodeBase64, encodeBase64 } from "./base64";
