// Bundles the browser libraries into the service's embedded page assets (src/ComplaintDiagnostics.Api/Pages/assets),
// each with its name, version and licence in a leading comment, and writes their licence texts beside them.
// Reproducible: the same lockfile gives the same bytes (.ci/run rebuilds and compares with what is committed).
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = new URL("../src/ComplaintDiagnostics.Api/Pages/assets/", import.meta.url);
const pkg = name => JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, import.meta.url)));
const esbuild = pkg("esbuild").version;

// Each bundle names the library it is, and every package its code comes from (their licences go to LICENSES.txt).
const bundles = [
  { entry: "src/jsonc.js", file: "jsonc-parser.js", global: "jsonc", library: "jsonc-parser", packages: ["jsonc-parser"] },
  { entry: "src/charts.js", file: "echarts.js", global: "charts", library: "echarts", packages: ["echarts", "zrender", "tslib"] },
];

const licenceFile = name => ["LICENSE", "LICENSE.md", "LICENSE.txt"].map(f => new URL(`node_modules/${name}/${f}`, import.meta.url))
  .find(url => { try { readFileSync(url); return true; } catch { return false; } });
const licences = [];
for (const { entry, file, global, library, packages } of bundles) {
  const { version, license } = pkg(library);
  await build({
    entryPoints: [entry],
    outfile: new URL(file, out).pathname,
    bundle: true,
    minify: true,
    format: "iife",
    globalName: global,
    target: "es2020",
    legalComments: "none",
    banner: { js: `/*! ${library} ${version} (${license}; licence text in LICENSES.txt), bundled by web/build.mjs with esbuild ${esbuild} */` },
  });
  for (const name of packages) {
    const { version: v, license: l } = pkg(name);
    let notice = "";
    try { notice = `\n\nNOTICE:\n${readFileSync(new URL(`node_modules/${name}/NOTICE`, import.meta.url), "utf8").trim()}`; } catch { /* none */ }
    licences.push(`${name} ${v} (${l}), in ${file}\n\n${readFileSync(licenceFile(name), "utf8").trim()}${notice}\n`);
  }
}
writeFileSync(new URL("LICENSES.txt", out), "Third-party code in this folder, as bundled by web/build.mjs.\n\n" + licences.join("\n----\n\n"));
console.log(`built ${bundles.map(b => b.file).join(", ")}`);
