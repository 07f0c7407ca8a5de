/**
 * How large a manifest may be. A manifest of 200,000 items (a 540 KB zip) took 8 s of the event
 * loop and 800 MB to read, and made a course page of 44 MB; real courses have tens of items, and
 * the largest seen have a few hundred. Each limit is configurable (config.ts, PACKAGE_MAX_*), and
 * a manifest past one is refused, naming it, before it is parsed
 * (scorm/manifest/manifest-limits.ts counts it).
 */
export interface ManifestLimits {
  /** `<item>` elements, in every organization. */
  maxItems: number;
  /** `<resource>` elements. */
  maxResources: number;
  /** `<file>` and `<dependency>` elements together. */
  maxFilesListed: number;
  /** How deep `<item>`s nest. */
  maxDepth: number;
  /** IMS SS rules: pre-, exit-, post-condition and rollup rules. */
  maxSequencingRules: number;
  /** Attributes on every element: half a million on one element took 270 MB to read. */
  maxAttributes: number;
  /**
   * imsmanifest.xml's bytes, judged on what the zip declares, before anything is unpacked. The
   * largest manifest at every other limit, with titles of the most a title keeps
   * (scorm/manifest/titles.ts), is 8.3 MB (bench:import-healthz); 19.8 MB of 3,900-character
   * titles made a player page of 41 MB.
   */
  maxManifestBytes: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = { maxItems: 5_000, maxResources: 5_000, maxFilesListed: 100_000, maxDepth: 20, maxSequencingRules: 20_000, maxAttributes: 200_000, maxManifestBytes: 10 * 1024 * 1024 };
