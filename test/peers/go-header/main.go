// A header filter written with the proxy-wasm Go SDK (Go's own wasip1 target), kept as a peer
// module so the harness is tested against what another SDK and toolchain produce.
//
// Plugin configuration: one line "<request-header>: <value>". Each request gets that header
// replaced (or added); each response gets "x-peer-sdk: go". Both steps log at info.
package main

import (
	"strings"

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
	name, value string
}

func (p *pluginContext) OnPluginStart(int) types.OnPluginStartStatus {
	config, err := proxywasm.GetPluginConfiguration()
	if err != nil {
		proxywasm.LogCritical("go-header: no plugin configuration: " + err.Error())
		return types.OnPluginStartStatusFailed
	}
	name, value, found := strings.Cut(string(config), ":")
	name = strings.ToLower(strings.TrimSpace(name))
	if !found || name == "" {
		proxywasm.LogCritical("go-header: configuration must be \"<header>: <value>\", got \"" + string(config) + "\"")
		return types.OnPluginStartStatusFailed
	}
	p.name, p.value = name, strings.TrimSpace(value)
	proxywasm.LogInfo("go-header: will set " + p.name)
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(uint32) types.HttpContext {
	return &httpContext{plugin: p}
}

type httpContext struct {
	types.DefaultHttpContext
	plugin *pluginContext
}

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	path, err := proxywasm.GetHttpRequestHeader(":path")
	if err != nil {
		path = "(none)"
	}
	if err := proxywasm.ReplaceHttpRequestHeader(h.plugin.name, h.plugin.value); err != nil {
		proxywasm.LogError("go-header: cannot set " + h.plugin.name + ": " + err.Error())
	}
	proxywasm.LogInfo("go-header: request " + path + " " + h.plugin.name + "=" + h.plugin.value)
	return types.ActionContinue
}

func (h *httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	if err := proxywasm.AddHttpResponseHeader("x-peer-sdk", "go"); err != nil {
		proxywasm.LogError("go-header: cannot add x-peer-sdk: " + err.Error())
	}
	status, err := proxywasm.GetHttpResponseHeader(":status")
	if err != nil {
		status = "(none)"
	}
	proxywasm.LogInfo("go-header: response " + status)
	return types.ActionContinue
}
