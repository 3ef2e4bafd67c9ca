// What the GitHub runner does around a JavaScript action, for the demo and the
// end-to-end tests: read its step outputs back, and supply action.yml defaults.

/**
 * Parses a GITHUB_OUTPUT file: `name<<DELIMITER` blocks (what @actions/core
 * writes) and plain `name=value` lines. Later values win, like the runner.
 */
export function parseGithubOutput(text) {
  const outputs = {}
  const lines = text.split(/\r?\n/)
  let i = 0
  while (i < lines.length) {
    const line = lines[i++]
    if (line.trim() === '') continue
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    const eq = line.indexOf('=')
    if (heredoc && (eq < 0 || eq > line.indexOf('<<'))) {
      const [, name, delimiter] = heredoc
      const value = []
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++])
      if (i >= lines.length) {
        throw new Error(`GITHUB_OUTPUT: the value of "${name}" never ends (delimiter ${delimiter} not found)`)
      }
      i++
      outputs[name] = value.join('\n')
    } else if (eq > 0) {
      outputs[line.slice(0, eq)] = line.slice(eq + 1)
    } else {
      throw new Error(`GITHUB_OUTPUT: invalid line ${JSON.stringify(line)}`)
    }
  }
  return outputs
}

/**
 * The `default:` of each input in an action.yml, as the runner would pass it
 * in INPUT_<NAME>. Handles the YAML an action.yml uses (block mapping, plain,
 * quoted and block scalars); defaults holding `${{ }}` expressions are left out
 * because only the runner can evaluate them.
 */
export function actionInputDefaults(yamlText) {
  const lines = yamlText.split(/\r?\n/)
  const defaults = {}
  const start = lines.findIndex(l => /^inputs:\s*(#.*)?$/.test(l))
  if (start < 0) return defaults

  let inputIndent = -1
  let current = null
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]
    if (/^\s*(#.*)?$/.test(line)) continue
    const indent = line.length - line.trimStart().length
    if (indent === 0) break
    const key = /^(\s*)(?:"([^"]+)"|'([^']+)'|([^\s:#][^:#]*?)):(?:\s+(.*))?$/.exec(line)
    if (inputIndent < 0) inputIndent = indent
    if (indent === inputIndent) {
      current = key ? (key[2] ?? key[3] ?? key[4]).trim() : null
      continue
    }
    if (!current || !key || key[4]?.trim() !== 'default') continue
    const raw = (key[5] ?? '').trim()
    let value
    if (/^[|>][+-]?\s*(#.*)?$/.test(raw)) {
      const block = []
      let blockIndent = -1
      while (i + 1 < lines.length) {
        const next = lines[i + 1]
        const nextIndent = next.length - next.trimStart().length
        if (next.trim() !== '' && nextIndent <= indent) break
        if (blockIndent < 0 && next.trim() !== '') blockIndent = nextIndent
        block.push(next.trim() === '' ? '' : next.slice(blockIndent))
        i++
      }
      value = foldBlock(block, raw[0] === '>', raw[1])
    } else {
      value = scalar(raw)
    }
    if (!value.includes('${{')) defaults[current] = value
  }
  return defaults
}

function scalar(raw) {
  if (raw.startsWith("'")) {
    const end = raw.lastIndexOf("'")
    return raw.slice(1, end > 0 ? end : undefined).replace(/''/g, "'")
  }
  if (raw.startsWith('"')) {
    const end = raw.lastIndexOf('"')
    const body = raw.slice(1, end > 0 ? end : undefined)
    const escapes = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', 0: '\0' }
    return body.replace(/\\(.)/g, (m, c) => escapes[c] ?? m)
  }
  const comment = raw.search(/\s#/)
  const value = (comment >= 0 ? raw.slice(0, comment) : raw).trim()
  return value === '~' || value === 'null' ? '' : value
}

function foldBlock(lines, folded, chomp) {
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  let text
  if (folded) {
    // Lines fold into spaces; each blank line stands for one newline.
    text = ''
    let afterBreak = true
    for (const line of lines) {
      if (line === '') {
        text += '\n'
        afterBreak = true
        continue
      }
      text += (afterBreak ? '' : ' ') + line
      afterBreak = false
    }
  } else {
    text = lines.join('\n')
  }
  return chomp === '-' || text === '' ? text : text + '\n'
}
