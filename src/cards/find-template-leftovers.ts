/**
 * Paths of strings still holding `${` and of keys still starting with `$` (`$data`, `$when`) after template
 * expansion: a field the template names but the data lacks. User text never matches (escapeMarkdown and
 * plainText neutralise its `${`); `isVerbatim` exempts strings the caller inserted as-is (ids).
 */
export function findTemplateLeftovers(
  value: unknown,
  isVerbatim: (s: string) => boolean = () => false,
  path = '$',
): string[] {
  if (typeof value === 'string')
    return value.includes('${') && !isVerbatim(value) ? [`${path}: ${value.slice(0, 80)}`] : [];
  if (Array.isArray(value))
    return value.flatMap((v, i) => findTemplateLeftovers(v, isVerbatim, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [
      ...(k.startsWith('$') && k !== '$schema' ? [`${path}.${k}: template key left over`] : []),
      ...findTemplateLeftovers(v, isVerbatim, `${path}.${k}`),
    ]);
  }
  return [];
}
