// node strings-node.mjs FILE: converts every Telethon string of FILE to a GramJS string with
// @mtcute/convert (the reference for bench_strings). NODE_PATH must reach the package.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
const require = createRequire(process.env.SD_INTEROP_DIR + '/package.json')
const conv = await import(require.resolve('@mtcute/convert'))
const lines = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean)
const t0 = process.hrtime.bigint()
let bytes = 0
for (const line of lines) {
    bytes += conv.convertToGramjsSession(conv.convertFromTelethonSession(line)).length
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6
console.log(`converted ${lines.length} strings in ${ms.toFixed(1)} ms (${bytes} output bytes)`)
