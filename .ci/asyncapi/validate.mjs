// Validates an AsyncAPI document with the AsyncAPI project's own parser (its schema and its rules): prints every
// diagnostic, exits 1 on any error. Usage: node validate.mjs <asyncapi.json>
import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';

const severities = ['error', 'warning', 'info', 'hint'];
const file = process.argv[2];
const { document, diagnostics } = await new Parser().parse(readFileSync(file, 'utf8'));
for (const d of diagnostics) {
  console.log(`${severities[d.severity]} ${d.code} at /${d.path.join('/')}: ${d.message}`);
}
if (!document || diagnostics.some((d) => d.severity === 0)) {
  console.log(`${file}: not a valid AsyncAPI document`);
  process.exit(1);
}
console.log(`${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, `
  + `${document.operations().length} operations, ${document.messages().length} messages`);
