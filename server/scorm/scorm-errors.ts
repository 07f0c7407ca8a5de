import { AppError } from "../errors.ts";
import type { ScormVersion } from "./contract.ts";

/**
 * The SCORM error codes the runtime answers with, per version. Codes are the specs' own:
 * SCORM 1.2 RTE 3.3 (LMSGetLastError error codes) and SCORM 2004 4th RTE 3.1.7 (GetLastError).
 */
export const SCORM12_ERRORS = {
  /** 101 General Exception: no more specific code applies. */
  general: 101,
  /** 201 Invalid argument error: the argument names no data model element. */
  invalidArgument: 201,
  /** 401 Not implemented error. */
  notImplemented: 401,
  /** 402 Invalid set value, element is a keyword (_children, _count). */
  keyword: 402,
  /** 403 Element is read only. */
  readOnly: 403,
  /** 405 Incorrect Data Type: 1.2 has no range code, so out-of-range values answer 405 too. */
  typeMismatch: 405,
} as const;

export const SCORM2004_ERRORS = {
  /** 101 General Exception. */
  general: 101,
  /** 351 General Set Failure: e.g. a value longer than the element may hold. */
  generalSet: 351,
  /** 391 General Commit Failure. */
  generalCommit: 391,
  /** 401 Undefined Data Model Element. */
  undefinedElement: 401,
  /** 404 Data Model Element Is Read Only (keywords _version, _count, _children included). */
  readOnly: 404,
  /** 406 Data Model Element Type Mismatch. */
  typeMismatch: 406,
  /** 407 Data Model Element Value Out Of Range. */
  outOfRange: 407,
} as const;

/** What a failed commit (stale, broken, refused) answers: 1.2 has no commit-specific code. */
export function commitFailureCode(version: ScormVersion | null): number {
  return version === "2004" ? SCORM2004_ERRORS.generalCommit : SCORM12_ERRORS.general;
}

/**
 * A runtime refusal: the application error with the SCORM error code the player hands to
 * scorm-again (CommitResponse.errorCode). Thrown inside the commit transaction, it rolls it back.
 */
export class ScormRefusal extends AppError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly scormErrorCode: number,
    details: string[] = [],
  ) {
    super(code, message, status, details);
    this.name = "ScormRefusal";
  }
}
