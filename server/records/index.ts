// The records area's public surface: the one writer of competence_records, the table compliance
// is computed from. Crediting, approvals, record transfer and the demo seed all add or decide
// records through it.

export { addCompetenceRecord, decideCompetenceRecord } from "./store.ts";
