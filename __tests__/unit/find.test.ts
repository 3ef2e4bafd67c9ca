import { describe, it, expect } from '@jest/globals'
import * as path from 'node:path'
import { anchorPattern, workspacePath } from '../../src/videos/find.js'

describe('workspacePath on Windows (path.win32)', () => {
  const w = path.win32
  it.each([
    ['C:\\ws\\videos\\a.mp4', 'C:\\ws', 'videos/a.mp4'],
    ['C:\\ws\\a.mp4', 'C:\\ws\\', 'a.mp4'],
    ['c:\\WS\\Videos\\a.mp4', 'C:\\ws', 'Videos/a.mp4'],
    ['C:\\ws\\deep\\er\\a b.mp4', 'C:\\ws', 'deep/er/a b.mp4'],
    ['C:\\ws\\..foo\\a.mp4', 'C:\\ws', '..foo/a.mp4']
  ])('%s in %s -> %s', (file, workspace, shown) => {
    expect(workspacePath(file, workspace, w)).toBe(shown)
  })

  it.each([
    ['D:\\other\\a.mp4', 'C:\\ws'],
    ['C:\\elsewhere\\a.mp4', 'C:\\ws'],
    ['C:\\ws-two\\a.mp4', 'C:\\ws'],
    ['C:\\ws', 'C:\\ws']
  ])('%s is outside %s (or is it): shown absolute', (file, workspace) => {
    expect(workspacePath(file, workspace, w)).toBe(file)
  })
})

describe('workspacePath on POSIX (path.posix)', () => {
  const p = path.posix
  it.each([
    ['/home/u/ws/videos/a.mp4', '/home/u/ws', 'videos/a.mp4'],
    ['/home/u/ws/a.mp4', '/home/u/ws/', 'a.mp4'],
    ['/home/u/ws/back\\slash.mp4', '/home/u/ws', 'back\\slash.mp4'],
    ['/home/u/ws/..foo/a.mp4', '/home/u/ws', '..foo/a.mp4']
  ])('%s in %s -> %s', (file, workspace, shown) => {
    expect(workspacePath(file, workspace, p)).toBe(shown)
  })

  it.each([
    ['/tmp/a.mp4', '/home/u/ws'],
    ['/home/u/ws2/a.mp4', '/home/u/ws'],
    ['/home/u/ws', '/home/u/ws']
  ])('%s outside %s is shown absolute', (file, workspace) => {
    expect(workspacePath(file, workspace, p)).toBe(file)
  })
})

describe('anchorPattern on Windows (path.win32)', () => {
  const w = path.win32
  it.each([
    ['videos/*.mp4', 'C:\\ws', 'C:\\ws\\videos\\*.mp4'],
    ['videos\\**\\*.mov', 'C:\\ws', 'C:\\ws\\videos\\**\\*.mov'],
    ['!videos/old.mp4', 'C:\\ws', '!C:\\ws\\videos\\old.mp4'],
    ['./a.mp4', 'C:\\ws', 'C:\\ws\\a.mp4'],
    ['../shared/*.mp4', 'C:\\ws\\repo', 'C:\\ws\\shared\\*.mp4'],
    ['D:\\media\\*.mp4', 'C:\\ws', 'D:\\media\\*.mp4'],
    ['C:/media/*.mp4', 'C:\\ws', 'C:/media/*.mp4'],
    ['!D:\\media\\old.mp4', 'C:\\ws', '!D:\\media\\old.mp4'],
    ['\\\\server\\share\\*.mp4', 'C:\\ws', '\\\\server\\share\\*.mp4'],
    ['~/videos/*.mp4', 'C:\\ws', '~/videos/*.mp4'],
    ['*.mp4', 'C:\\a [1]\\ws*?', 'C:\\a [[]1]\\ws[*][?]\\*.mp4']
  ])('%s in %s -> %s', (pattern, workspace, anchored) => {
    expect(anchorPattern(pattern, workspace, w)).toBe(anchored)
  })
})

describe('anchorPattern on POSIX (path.posix)', () => {
  const p = path.posix
  it.each([
    ['*.mp4', '/home/u/ws', '/home/u/ws/*.mp4'],
    ['videos/**/*.mp4', '/home/u/ws/', '/home/u/ws/videos/**/*.mp4'],
    ['!skip/**', '/home/u/ws', '!/home/u/ws/skip/**'],
    ['./a.mp4', '/home/u/ws', '/home/u/ws/a.mp4'],
    ['../up/*.mp4', '/home/u/ws', '/home/u/up/*.mp4'],
    ['/abs/*.mp4', '/home/u/ws', '/abs/*.mp4'],
    ['!/abs/old.mp4', '/home/u/ws', '!/abs/old.mp4'],
    ['~/v/*.mp4', '/home/u/ws', '~/v/*.mp4'],
    ['*.mp4', '/tmp/draftclip-[1]-*?', '/tmp/draftclip-[[]1]-[*][?]/*.mp4']
  ])('%s in %s -> %s', (pattern, workspace, anchored) => {
    expect(anchorPattern(pattern, workspace, p)).toBe(anchored)
  })

  it('uses the platform path module by default', () => {
    expect(anchorPattern('a.mp4', path.resolve('/ws'))).toBe(path.join(path.resolve('/ws'), 'a.mp4'))
  })
})
