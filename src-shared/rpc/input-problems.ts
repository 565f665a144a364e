import type { Lang } from '../domain/enums.js';
import { translate } from '../i18n/index.js';

/** What a schema said about one field (zod's issue, as much of it as a person needs). */
export interface InputIssue {
  code: string;
  path: PropertyKey[];
  origin?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  input?: unknown;
}

/**
 * Bad input, said as a person reads it (issue 23 finding 4): each field by its label in the UI's language, and what is
 * wrong with it — empty, too short or too long with the limit, characters it does not take — instead of "bad request".
 */
export function inputProblems(lang: Lang, issues: readonly InputIssue[]): string {
  const said = new Set<string>();
  for (const i of issues) {
    const key = [...i.path].reverse().find((p) => typeof p === 'string') as string | undefined;
    const field = key ? translate(lang, `fields.${key}`) : '';
    const label = field.startsWith('fields.') ? key! : field;
    said.add(label ? `${label}: ${problem(lang, i)}` : problem(lang, i));
    if (said.size === 3) break;
  }
  return [...said].join('; ');
}

function problem(lang: Lang, i: InputIssue): string {
  const n = (v: number | bigint | undefined) => Number(v ?? 0);
  if (i.code === 'invalid_type' && i.input === undefined) return translate(lang, 'inputProblem.missing');
  if (i.code === 'too_small' && i.origin === 'string') return n(i.minimum) <= 1 ? translate(lang, 'inputProblem.missing') : translate(lang, 'inputProblem.short', { min: n(i.minimum) });
  if (i.code === 'too_big' && i.origin === 'string') return translate(lang, 'inputProblem.long', { max: n(i.maximum) });
  if (i.code === 'too_small' || i.code === 'too_big') return translate(lang, 'inputProblem.range');
  if (i.code === 'invalid_format' || i.code === 'custom') return translate(lang, 'inputProblem.characters');
  return translate(lang, 'inputProblem.value');
}

/** The body of a `bad_input` answer (desk router and first-run wizard alike): the problems in words, and zod's for logs and tests. */
export function badInputBody(lang: Lang, issues: readonly (InputIssue & { message: string })[]): { code: 'bad_input'; message: string; issues: string[] } {
  const said = inputProblems(lang, issues);
  return {
    code: 'bad_input',
    message: said ? `${translate(lang, 'errors.bad_input')}: ${said}` : translate(lang, 'errors.bad_input'),
    issues: issues.map((i) => `${i.path.map(String).join('.') || '(input)'}: ${i.message}`),
  };
}
