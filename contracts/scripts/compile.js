// Compiles contracts/src/*.sol with the pinned solcjs through its standard-JSON interface and
// writes what `abigen --combined-json` reads, one ABI file per contract, and the source stamp the
// Go test checks. Run from contracts/ with NODE_PATH pointing at the pinned node_modules
// (`make contracts` does both).
'use strict';
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const solc = require('solc');

const SRC = 'src';
const OUT = 'artifacts';
const CONTRACTS = ['Dec2Token', 'TokenSale', 'StreamEscrow', 'ProviderRegistry'];
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: 'osaka',
  outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
};

function resolveImport(p) {
  const roots = ['.', ...(process.env.NODE_PATH || '').split(path.delimiter).filter(Boolean)];
  for (const root of roots) {
    const f = path.join(root, p);
    if (fs.existsSync(f)) return { contents: fs.readFileSync(f, 'utf8') };
  }
  return { error: `import ${p} not found under ${roots.join(', ')}` };
}

function ozVersion() {
  return require('@openzeppelin/contracts/package.json').version;
}

// The stamp binds the artifacts to the exact sources and toolchain; Go's stamp test recomputes it.
function sourceStamp(files) {
  const h = crypto.createHash('sha256');
  for (const f of files) {
    h.update(f + '\n');
    h.update(fs.readFileSync(f));
    h.update('\n');
  }
  return h.digest('hex');
}

const files = fs.readdirSync(SRC).filter((f) => f.endsWith('.sol')).sort().map((f) => `${SRC}/${f}`);
const input = {
  language: 'Solidity',
  sources: Object.fromEntries(files.map((f) => [f, { content: fs.readFileSync(f, 'utf8') }])),
  settings: SETTINGS,
};
const out = JSON.parse(solc.compile(JSON.stringify(input), { import: resolveImport }));
const errors = (out.errors || []).filter((e) => e.severity === 'error');
// OpenZeppelin's own warnings (e.g. about its transient reentrancy guard) are not ours to fix.
for (const e of out.errors || []) {
  if (e.severity === 'error' || !(e.sourceLocation && e.sourceLocation.file.startsWith('@openzeppelin/'))) {
    console.error(e.formattedMessage);
  }
}
if (errors.length) process.exit(1);

fs.mkdirSync(OUT, { recursive: true });
const combined = { contracts: {}, version: solc.version() };
for (const f of fs.readdirSync(OUT)) fs.rmSync(`${OUT}/${f}`);
for (const name of CONTRACTS) {
  const file = `${SRC}/${name}.sol`;
  const c = out.contracts[file] && out.contracts[file][name];
  if (!c) throw new Error(`${name} missing from ${file}`);
  combined.contracts[`${file}:${name}`] = {
    abi: c.abi,
    bin: c.evm.bytecode.object,
    'bin-runtime': c.evm.deployedBytecode.object,
  };
  fs.writeFileSync(`${OUT}/${name}.abi.json`, JSON.stringify(c.abi, null, 2) + '\n');
  // One combined-json per contract: abigen binds each into its own Go package, since two
  // contracts' generated types (e.g. Eip712DomainOutput) would collide in one.
  const one = { contracts: { [`${file}:${name}`]: combined.contracts[`${file}:${name}`] }, version: combined.version };
  fs.writeFileSync(`${OUT}/${name}.combined.json`, JSON.stringify(one) + '\n');
}
const stamp = {
  solc: solc.version(),
  openzeppelin: ozVersion(),
  settings: SETTINGS,
  sources: sourceStamp(files),
};
fs.writeFileSync(`${OUT}/stamp.json`, JSON.stringify(stamp, null, 2) + '\n');
console.log(`compiled ${CONTRACTS.join(', ')} with solc ${solc.version()}, OpenZeppelin ${ozVersion()}`);
