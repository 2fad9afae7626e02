/**
 * Scope analysis of an ESTree program (acorn's output) read as a function body in sloppy mode:
 * which identifiers are free, that is resolved by no declaration in the code itself. Those are the
 * globals the code needs from the platform.
 */

/** One use of a name no declaration in the code provides. */
export interface FreeReference {
  name: string
  line: number
  column: number
  /** Only under `typeof`: reading it cannot throw. */
  typeofOnly: boolean
  /** Assigned to: in sloppy mode that silently creates a global. */
  write: boolean
}

interface Scope {
  names: Set<string>
  parent: Scope | null
  /** Function scopes receive `var` declarations. */
  isFunction: boolean
}

type AnyNode = { type: string, loc?: { start: { line: number, column: number } } | null, [key: string]: any }

const newScope = (parent: Scope | null, isFunction: boolean): Scope => ({ names: new Set(), parent, isFunction })

function resolves (scope: Scope | null, name: string): boolean {
  for (let s = scope; s; s = s.parent) if (s.names.has(name)) return true
  return false
}

/** Names a binding pattern declares. */
function patternNames (pattern: AnyNode | null, out: string[] = []): string[] {
  if (!pattern) return out
  switch (pattern.type) {
    case 'Identifier': out.push(pattern.name); break
    case 'ObjectPattern': for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, out); break
    case 'ArrayPattern': for (const e of pattern.elements) patternNames(e, out); break
    case 'RestElement': patternNames(pattern.argument, out); break
    case 'AssignmentPattern': patternNames(pattern.left, out); break
  }
  return out
}

/** `var` declarations and (Annex B) function declarations in nested blocks, up to the next function boundary. */
function hoistVars (node: AnyNode | null, scope: Scope): void {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) { for (const child of node) hoistVars(child, scope); return }
  switch (node.type) {
    case 'VariableDeclaration':
      if (node.kind === 'var') for (const d of node.declarations) for (const name of patternNames(d.id)) scope.names.add(name)
      return
    case 'FunctionDeclaration':
      if (node.id) scope.names.add(node.id.name)
      return
    case 'FunctionExpression': case 'ArrowFunctionExpression': case 'ClassDeclaration': case 'ClassExpression':
      return
  }
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'type') continue
    const value = node[key]
    if (value && typeof value === 'object') hoistVars(value, scope)
  }
}

/** let/const/class/function declared directly in a statement list. */
function hoistLexical (statements: AnyNode[], scope: Scope): void {
  for (const s of statements) {
    if (s.type === 'VariableDeclaration' && s.kind !== 'var') for (const d of s.declarations) for (const name of patternNames(d.id)) scope.names.add(name)
    else if ((s.type === 'ClassDeclaration' || s.type === 'FunctionDeclaration') && s.id) scope.names.add(s.id.name)
  }
}

/** Every free reference of `program`, which is read as the body of a function. */
export function findFreeReferences (program: AnyNode): FreeReference[] {
  const found: FreeReference[] = []
  const reference = (node: AnyNode, scope: Scope, typeofOnly = false, write = false): void => {
    if (resolves(scope, node.name)) return
    found.push({ name: node.name, line: node.loc?.start.line ?? 0, column: (node.loc?.start.column ?? 0) + 1, typeofOnly, write })
  }

  /** Visits the expressions inside a binding pattern (defaults, computed keys). */
  const visitPattern = (pattern: AnyNode | null, scope: Scope): void => {
    if (!pattern) return
    switch (pattern.type) {
      case 'ObjectPattern':
        for (const p of pattern.properties) {
          if (p.type === 'RestElement') visitPattern(p.argument, scope)
          else { if (p.computed) visit(p.key, scope); visitPattern(p.value, scope) }
        }
        break
      case 'ArrayPattern': for (const e of pattern.elements) visitPattern(e, scope); break
      case 'RestElement': visitPattern(pattern.argument, scope); break
      case 'AssignmentPattern': visitPattern(pattern.left, scope); visit(pattern.right, scope); break
      case 'Identifier': break
      default: visit(pattern, scope) // a member expression as an assignment target
    }
  }

  /** Visits an assignment target: its identifiers are references that are written. */
  const visitTarget = (target: AnyNode, scope: Scope): void => {
    switch (target.type) {
      case 'Identifier': reference(target, scope, false, true); break
      case 'ObjectPattern':
        for (const p of target.properties) {
          if (p.type === 'RestElement') visitTarget(p.argument, scope)
          else { if (p.computed) visit(p.key, scope); visitTarget(p.value, scope) }
        }
        break
      case 'ArrayPattern': for (const e of target.elements) if (e) visitTarget(e, scope); break
      case 'RestElement': visitTarget(target.argument, scope); break
      case 'AssignmentPattern': visitTarget(target.left, scope); visit(target.right, scope); break
      default: visit(target, scope)
    }
  }

  const visitFunction = (fn: AnyNode, scope: Scope): void => {
    let outer = scope
    if (fn.type === 'FunctionExpression' && fn.id) { outer = newScope(scope, false); outer.names.add(fn.id.name) }
    const inner = newScope(outer, true)
    if (fn.type !== 'ArrowFunctionExpression') inner.names.add('arguments')
    for (const param of fn.params) for (const name of patternNames(param)) inner.names.add(name)
    for (const param of fn.params) visitPattern(param, inner)
    if (fn.body.type === 'BlockStatement') {
      hoistVars(fn.body.body, inner)
      hoistLexical(fn.body.body, inner)
      for (const s of fn.body.body) visit(s, inner)
    } else {
      visit(fn.body, inner)
    }
  }

  const visitClass = (cls: AnyNode, scope: Scope): void => {
    if (cls.superClass) visit(cls.superClass, scope)
    const inner = newScope(scope, false)
    if (cls.id) inner.names.add(cls.id.name)
    for (const member of cls.body.body) {
      if (member.computed) visit(member.key, inner)
      if (member.value) visit(member.value, inner)
    }
  }

  const visitChildren = (node: AnyNode, scope: Scope): void => {
    for (const key of Object.keys(node)) {
      if (key === 'loc' || key === 'type') continue
      const value = node[key]
      if (Array.isArray(value)) { for (const item of value) if (item && typeof item.type === 'string') visit(item, scope) } else if (value && typeof value.type === 'string') visit(value, scope)
    }
  }

  const visit = (node: AnyNode | null, scope: Scope): void => {
    if (!node) return
    switch (node.type) {
      case 'Identifier': reference(node, scope); return
      case 'FunctionDeclaration': case 'FunctionExpression': case 'ArrowFunctionExpression': visitFunction(node, scope); return
      case 'ClassDeclaration': case 'ClassExpression': visitClass(node, scope); return
      case 'BlockStatement': case 'StaticBlock': {
        const inner = newScope(scope, false)
        hoistLexical(node.body, inner)
        for (const s of node.body) visit(s, inner)
        return
      }
      case 'SwitchStatement': {
        visit(node.discriminant, scope)
        const inner = newScope(scope, false)
        for (const c of node.cases) hoistLexical(c.consequent, inner)
        for (const c of node.cases) { visit(c.test, inner); for (const s of c.consequent) visit(s, inner) }
        return
      }
      case 'ForStatement': case 'ForInStatement': case 'ForOfStatement': {
        const inner = newScope(scope, false)
        const head = node.type === 'ForStatement' ? node.init : node.left
        if (head && head.type === 'VariableDeclaration' && head.kind !== 'var') for (const d of head.declarations) for (const name of patternNames(d.id)) inner.names.add(name)
        if (node.type === 'ForStatement') { visit(node.init, inner); visit(node.test, inner); visit(node.update, inner) } else {
          if (head.type === 'VariableDeclaration') visit(head, inner); else visitTarget(head, inner)
          visit(node.right, inner)
        }
        visit(node.body, inner)
        return
      }
      case 'CatchClause': {
        const inner = newScope(scope, false)
        for (const name of patternNames(node.param)) inner.names.add(name)
        visitPattern(node.param, inner)
        visit(node.body, inner)
        return
      }
      case 'VariableDeclaration': for (const d of node.declarations) { visitPattern(d.id, scope); visit(d.init, scope) } return
      case 'MemberExpression': visit(node.object, scope); if (node.computed) visit(node.property, scope); return
      case 'Property': if (node.computed) visit(node.key, scope); visit(node.value, scope); return
      case 'PropertyDefinition': case 'MethodDefinition': if (node.computed) visit(node.key, scope); visit(node.value, scope); return
      case 'LabeledStatement': visit(node.body, scope); return
      case 'BreakStatement': case 'ContinueStatement': case 'MetaProperty': case 'Super': case 'ThisExpression': return
      case 'AssignmentExpression': visitTarget(node.left, scope); visit(node.right, scope); return
      case 'UpdateExpression': visitTarget(node.argument, scope); return
      case 'UnaryExpression':
        if (node.operator === 'typeof' && node.argument.type === 'Identifier') { reference(node.argument, scope, true); return }
        visit(node.argument, scope)
        return
      case 'ImportDeclaration': case 'ExportAllDeclaration': return
      case 'ExportNamedDeclaration': if (node.declaration) visit(node.declaration, scope); return
      default: visitChildren(node, scope)
    }
  }

  const body = newScope(null, true)
  body.names.add('arguments')
  hoistVars(program.body, body)
  hoistLexical(program.body, body)
  for (const node of program.body) if (node.type === 'ImportDeclaration') for (const s of node.specifiers) body.names.add(s.local.name)
  for (const statement of program.body) visit(statement, body)
  return found
}
