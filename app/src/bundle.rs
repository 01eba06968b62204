//! The browser bundle's file names under `/pkg`. The build gives each file a name
//! from a hash of its content (`pacer.<hash>.wasm`), so browsers and CDNs may keep it
//! for good; `pkg/bundle.json` lists the names. A site built without it keeps the
//! plain names, which must be revalidated on every use.

/// Where the page's script, WebAssembly and stylesheet are, under `/pkg`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bundle {
    pub js: String,
    pub wasm: String,
    pub css: String,
}

impl Default for Bundle {
    /// The names the WebAssembly build writes before they are hashed.
    fn default() -> Self {
        Bundle { js: "pacer.js".into(), wasm: "pacer_bg.wasm".into(), css: "pacer.css".into() }
    }
}

impl Bundle {
    /// The names `bundle.json` in `pkg_dir` gives, or the plain ones without it.
    #[cfg(feature = "ssr")]
    pub fn read(pkg_dir: &std::path::Path) -> Bundle {
        let Ok(text) = std::fs::read_to_string(pkg_dir.join("bundle.json")) else { return Bundle::default() };
        let names: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        // A name is a file in pkg_dir, never a path out of it.
        let name = |kind: &str| names[kind].as_str().filter(|n| !n.is_empty() && !n.contains(['/', '\\']) && *n != "..").map(str::to_string);
        match (name("js"), name("wasm"), name("css")) {
            (Some(js), Some(wasm), Some(css)) => Bundle { js, wasm, css },
            _ => Bundle::default(),
        }
    }

    /// Whether the names change with the content, so a file may be kept for good.
    pub fn is_hashed(&self) -> bool {
        *self != Bundle::default()
    }

    /// The three files' paths, as the browser asks for them.
    pub fn paths(&self) -> [String; 3] {
        [format!("/pkg/{}", self.js), format!("/pkg/{}", self.wasm), format!("/pkg/{}", self.css)]
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn the_build_list_gives_the_names_and_a_missing_or_odd_one_the_plain_names() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Bundle::read(dir.path()), Bundle::default());
        assert!(!Bundle::default().is_hashed());
        let list = r#"{ "js": "pacer.0a1b.js", "wasm": "pacer.2c3d.wasm", "css": "pacer.4e5f.css" }"#;
        std::fs::write(dir.path().join("bundle.json"), list).unwrap();
        let bundle = Bundle::read(dir.path());
        assert_eq!(bundle.paths(), ["/pkg/pacer.0a1b.js", "/pkg/pacer.2c3d.wasm", "/pkg/pacer.4e5f.css"]);
        assert!(bundle.is_hashed());
        for odd in [r#"{ "js": "../../etc/passwd", "wasm": "a.wasm", "css": "a.css" }"#, r#"{ "js": "a.js" }"#, "not json"] {
            std::fs::write(dir.path().join("bundle.json"), odd).unwrap();
            assert_eq!(Bundle::read(dir.path()), Bundle::default(), "{odd}");
        }
    }
}
