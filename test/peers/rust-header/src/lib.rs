// A header filter written with the proxy-wasm Rust SDK and built for wasm32-wasi by Debian's
// rustc, kept as a peer module so the harness is tested against another SDK's module shape
// (`proxy_on_memory_allocate` instead of `malloc`, `_initialize` from the SDK's `main!`).
//
// Plugin configuration: one line "<request-header>: <value>". Each request gets that header
// replaced (or added) and its header count logged; each response gets "x-peer-sdk: rust".

use log::{error, info};
use proxy_wasm::traits::{Context, HttpContext, RootContext};
use proxy_wasm::types::{Action, ContextType, LogLevel};

proxy_wasm::main! {{
    proxy_wasm::set_log_level(LogLevel::Trace);
    proxy_wasm::set_root_context(|_| -> Box<dyn RootContext> { Box::new(HeaderRoot::default()) });
}}

#[derive(Default)]
struct HeaderRoot {
    name: String,
    value: String,
}

impl Context for HeaderRoot {}

impl RootContext for HeaderRoot {
    fn on_configure(&mut self, _size: usize) -> bool {
        let config = self.get_plugin_configuration().unwrap_or_default();
        let text = String::from_utf8_lossy(&config);
        match text.split_once(':') {
            Some((name, value)) if !name.trim().is_empty() => {
                self.name = name.trim().to_ascii_lowercase();
                self.value = value.trim().to_string();
                info!("rust-header: will set {}", self.name);
                true
            }
            _ => {
                error!("rust-header: configuration must be \"<header>: <value>\", got \"{}\"", text);
                false
            }
        }
    }

    fn create_http_context(&self, _context_id: u32) -> Option<Box<dyn HttpContext>> {
        Some(Box::new(HeaderStream {
            name: self.name.clone(),
            value: self.value.clone(),
        }))
    }

    fn get_type(&self) -> Option<ContextType> {
        Some(ContextType::HttpContext)
    }
}

struct HeaderStream {
    name: String,
    value: String,
}

impl Context for HeaderStream {}

impl HttpContext for HeaderStream {
    fn on_http_request_headers(&mut self, _count: usize, _end_of_stream: bool) -> Action {
        let count = self.get_http_request_headers().len();
        self.set_http_request_header(&self.name, Some(&self.value));
        info!("rust-header: request with {} headers {}={}", count, self.name, self.value);
        Action::Continue
    }

    fn on_http_response_headers(&mut self, _count: usize, _end_of_stream: bool) -> Action {
        self.add_http_response_header("x-peer-sdk", "rust");
        Action::Continue
    }
}
