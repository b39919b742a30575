// The benchmarks' Go SDK peer: header-rewrite's basic header rules written with the proxy-wasm Go
// SDK (Go's own wasip1 target), so module size and throughput compare like for like. It does what
// bench/go-peer.ts's header-rewrite configuration (the static request_headers and response_headers
// of envoy-configs/header-rewrite.yaml) does, with the same host calls; its own configuration is unused.
package main

import (
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm"
	"github.com/proxy-wasm/proxy-wasm-go-sdk/proxywasm/types"
)

func main() {}

func init() {
	proxywasm.SetVMContext(&vmContext{})
}

type vmContext struct {
	types.DefaultVMContext
}

func (*vmContext) NewPluginContext(uint32) types.PluginContext {
	return &pluginContext{}
}

type pluginContext struct {
	types.DefaultPluginContext
}

func (*pluginContext) NewHttpContext(uint32) types.HttpContext {
	return &httpContext{}
}

type httpContext struct {
	types.DefaultHttpContext
}

// Envoy answers these calls with an error only outside the header callbacks, so one is logged, not
// retried, as header-rewrite leaves a failed write alone.
func logFailure(operation string, err error) {
	if err != nil {
		proxywasm.LogError("go-header-rewrite: " + operation + ": " + err.Error())
	}
}

// header-rewrite: {"set": x-tenant: acme}, {"add": x-trace-tag: edge}, {"remove": "x-internal-debug"}.
func (*httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	logFailure("set x-tenant", proxywasm.ReplaceHttpRequestHeader("x-tenant", "acme"))
	logFailure("add x-trace-tag", proxywasm.AddHttpRequestHeader("x-trace-tag", "edge"))
	logFailure("remove x-internal-debug", proxywasm.RemoveHttpRequestHeader("x-internal-debug"))
	return types.ActionContinue
}

// header-rewrite: {"set": x-served-by: envoy-as}, {"add": cache-control: no-store},
// {"remove": "x-upstream-secret"}.
func (*httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	logFailure("set x-served-by", proxywasm.ReplaceHttpResponseHeader("x-served-by", "envoy-as"))
	logFailure("add cache-control", proxywasm.AddHttpResponseHeader("cache-control", "no-store"))
	logFailure("remove x-upstream-secret", proxywasm.RemoveHttpResponseHeader("x-upstream-secret"))
	return types.ActionContinue
}
