// Where scorm-again 3.4.3's answers fall short of the RTE books, the SCO's API (sco-api.ts) answers
// instead. Each rule below was found by the conformance suite (test/conformance) and is the
// specification's; pure, over the data model as scorm-again renders it.

export interface Refusal {
  code: number;
  diagnostic: string;
}

// SCORM 2004 4th RTE 4.2.9 (interactions) and 4.2.17 (objectives): a record is made by setting its
// id, at index _count. scorm-again makes the record for any element at that index and then refuses
// the value, so that _count grows by a record with no id.
const RECORD_ELEMENT = /^cmi\.(objectives|interactions)\.(\d+)\.([a-z_]+)(?:\.|$)/;
const OBJECTIVE_ID = /^cmi\.objectives\.(\d+)\.id$/;

/**
 * SCORM 2004: an element of an objective or interaction record set before the record's id is 408
 * (RTE 3.1.7.5, Data Model Dependency Not Established); an objective id another objective already
 * has is 351 (RTE 4.2.17: identifiers are unique within cmi.objectives). Null: scorm-again decides.
 * `dataModel` renders the whole CMI: it is asked for only by an element of a record.
 */
export function recordRefusal2004(element: string, value: string, dataModel: () => Record<string, unknown>): Refusal | null {
  const record = RECORD_ELEMENT.exec(element);
  if (record && record[3] !== "id") {
    const [, collection = "", index = ""] = record;
    if (Number(index) === Object.keys(asRecord(dataModel()[collection])).length) {
      return { code: 408, diagnostic: `${element}: set cmi.${collection}.${index}.id first` };
    }
  }
  const objective = OBJECTIVE_ID.exec(element);
  if (objective) {
    const taken = Object.entries(asRecord(dataModel().objectives)).some(([index, entry]) => index !== objective[1] && asRecord(entry).id === value);
    if (taken) return { code: 351, diagnostic: `${element}: another objective already has the identifier ${JSON.stringify(value)}` };
  }
  return null;
}

/**
 * SCORM 1.2 RTE 3.3: after LMSFinish the session is over; until another LMSInitialize, the API
 * answers as before it (301 Not initialized), as Moodle does. scorm-again 1.2 took and committed
 * values set after LMSFinish.
 */
export const FINISHED_12: Refusal = { code: 301, diagnostic: "LMSFinish has ended this session: nothing more can be read or stored in it" };

const asRecord = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});
