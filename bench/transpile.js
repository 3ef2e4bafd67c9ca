import * as fs from 'node:fs'
import * as path from 'node:path'
import { pathToFileURL } from 'node:url'

/**
 * A TypeScript file and what it imports, transpiled file by file with the
 * project's TypeScript into `out` (under bench/.work/, git-ignored) and
 * imported from there. Sound because tsconfig.json has isolatedModules (each
 * file compiles alone to what tsc and ncc make of it) and src/ imports by
 * their .js names, so the transpiled tree runs as it is; only the files the
 * entry reaches are transpiled (ncc bundling took about 30 s here).
 */
export async function importTranspiled(root, entry, out) {
  const ts = (await import('typescript')).default
  fs.rmSync(out, { recursive: true, force: true })
  const todo = [entry]
  const done = new Set()
  while (todo.length > 0) {
    const rel = todo.pop()
    if (done.has(rel)) continue
    done.add(rel)
    const text = fs.readFileSync(path.join(root, rel), 'utf8')
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      if (fileName.startsWith('.')) todo.push(path.posix.join(path.posix.dirname(rel), fileName).replace(/\.js$/, '.ts'))
    }
    const js = ts.transpileModule(text, {
      fileName: rel,
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 }
    })
    const target = path.join(out, rel.replace(/\.ts$/, '.js'))
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.writeFileSync(target, js.outputText)
  }
  return import(pathToFileURL(path.join(out, entry.replace(/\.ts$/, '.js'))).href)
}
