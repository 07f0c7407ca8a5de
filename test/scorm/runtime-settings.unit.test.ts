import { readFileSync } from "node:fs";
import { Scorm12API, Scorm2004API } from "scorm-again";
import { describe, expect, expectTypeOf, it } from "vitest";
import { parseManifest } from "../../server/scorm/manifest/parse-manifest.ts";
import * as ours from "../../server/scorm/manifest/runtime-settings.ts";
import { buildSequencingSettings, scoRuntimeSettings, UNNAMED_PRIMARY_OBJECTIVE, type SequencingSettings } from "../../server/scorm/manifest/runtime-settings.ts";
// scorm-again's .d.ts files use extensionless relative imports, which NodeNext cannot follow from
// its package entry (its types arrive as `any` there). Imported by path, the structure resolves;
// its enum-typed fields still come out as `any`, so the tokens are checked against the .d.ts text.
import type { Activity } from "../../node_modules/scorm-again/dist/types/cmi/scorm2004/sequencing/activity.d.ts";
import type {
  ActivitySettings as ScormAgainActivity, SequencingSettings as ScormAgainSequencing,
} from "../../node_modules/scorm-again/dist/types/types/sequencing_types.d.ts";

// SCORM 2004 4th Edition: a module (choice off, flow on, a rollup rule) holding a lesson whose
// sequencing comes from a collection and is partly overridden, and an eAssessment with rules,
// limits, objectives mapped to global objectives (imsss + adlseq) and delivery controls.
const scorm2004 = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="M-SEQ" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="ORG">
    <organization identifier="ORG"><title>297 NHS Conflict Resolution</title>
      <item identifier="MODULE"><title>Module</title>
        <item identifier="LESSON-1" identifierref="RES-LESSON"><title>Lesson 1</title>
          <adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.8" progressWeight="0.5"/>
          <adlcp:dataFromLMS>lesson=1</adlcp:dataFromLMS>
          <adlcp:timeLimitAction>exit,message</adlcp:timeLimitAction>
          <imsss:sequencing IDRef="SEQ-LESSON">
            <imsss:controlMode forwardOnly="true"/>
            <imsss:limitConditions attemptLimit="3"/>
          </imsss:sequencing>
          <adlnav:presentation><adlnav:navigationInterface>
            <adlnav:hideLMSUI>previous</adlnav:hideLMSUI><adlnav:hideLMSUI>bogus</adlnav:hideLMSUI>
          </adlnav:navigationInterface></adlnav:presentation>
        </item>
        <item identifier="ASSESSMENT" identifierref="RES-QUIZ"><title>eAssessment</title>
          <imsss:sequencing>
            <imsss:sequencingRules>
              <imsss:preConditionRule>
                <imsss:ruleConditions conditionCombination="any">
                  <imsss:ruleCondition referencedObjective="lesson1-done" operator="not" condition="satisfied"/>
                  <imsss:ruleCondition condition="attemptLimitExceeded"/>
                </imsss:ruleConditions>
                <imsss:ruleAction action="disabled"/>
              </imsss:preConditionRule>
              <imsss:preConditionRule>
                <imsss:ruleConditions><imsss:ruleCondition condition="satisfied"/></imsss:ruleConditions>
                <imsss:ruleAction action="retry"/>
              </imsss:preConditionRule>
              <imsss:exitConditionRule>
                <imsss:ruleConditions><imsss:ruleCondition condition="completed"/></imsss:ruleConditions>
                <imsss:ruleAction action="exit"/>
              </imsss:exitConditionRule>
              <imsss:postConditionRule>
                <imsss:ruleConditions><imsss:ruleCondition condition="objectiveMeasureLessThan" measureThreshold="0.5"/></imsss:ruleConditions>
                <imsss:ruleAction action="retry"/>
              </imsss:postConditionRule>
            </imsss:sequencingRules>
            <imsss:limitConditions attemptLimit="2" attemptAbsoluteDurationLimit="PT1H30M"/>
            <imsss:objectives>
              <imsss:primaryObjective objectiveID="assessment-passed" satisfiedByMeasure="true">
                <imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure>
                <imsss:mapInfo targetObjectiveID="urn:nhs:cr:passed" readSatisfiedStatus="false" writeSatisfiedStatus="true" writeNormalizedMeasure="true"/>
              </imsss:primaryObjective>
              <imsss:objective objectiveID="lesson1-done"><imsss:mapInfo targetObjectiveID="urn:nhs:cr:lesson1"/></imsss:objective>
            </imsss:objectives>
            <imsss:deliveryControls completionSetByContent="true" objectiveSetByContent="true"/>
            <adlseq:objectives>
              <adlseq:objective objectiveID="assessment-passed">
                <adlseq:mapInfo targetObjectiveID="urn:nhs:cr:passed" writeRawScore="true" writeCompletionStatus="true" readMaxScore="false"/>
              </adlseq:objective>
            </adlseq:objectives>
          </imsss:sequencing>
        </item>
        <imsss:sequencing>
          <imsss:controlMode choice="false" flow="true"/>
          <imsss:rollupRules objectiveMeasureWeight="0.5">
            <imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.75">
              <imsss:rollupConditions conditionCombination="all">
                <imsss:rollupCondition condition="activityProgressKnown"/>
                <imsss:rollupCondition operator="not" condition="timeLimitExceeded"/>
              </imsss:rollupConditions>
              <imsss:rollupAction action="completed"/>
            </imsss:rollupRule>
          </imsss:rollupRules>
          <adlseq:rollupConsiderations requiredForSatisfied="ifNotSkipped" measureSatisfactionIfActive="false"/>
        </imsss:sequencing>
      </item>
      <imsss:sequencing><imsss:controlMode flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-LESSON" type="webcontent" adlcp:scormType="sco" href="lesson.html"/>
    <resource identifier="RES-QUIZ" type="webcontent" adlcp:scormType="sco" href="quiz.html"/>
  </resources>
  <imsss:sequencingCollection>
    <imsss:sequencing ID="SEQ-LESSON">
      <imsss:controlMode choiceExit="false" forwardOnly="false"/>
      <imsss:limitConditions attemptLimit="1" attemptAbsoluteDurationLimit="PT30M"/>
      <imsss:rollupRules rollupObjectiveSatisfied="false"/>
      <imsss:objectives><imsss:primaryObjective satisfiedByMeasure="false"/></imsss:objectives>
      <imsss:deliveryControls completionSetByContent="true"/>
    </imsss:sequencing>
  </imsss:sequencingCollection>
</manifest>`;

// 2004 3rd Edition: the bare completion threshold, and randomization controls.
const scorm2004third = `<?xml version="1.0"?>
<manifest identifier="M3" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 3rd Edition</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>297 Information Governance</title>
    <item identifier="SCO" identifierref="R"><title>Module</title>
      <adlcp:completionThreshold>0.75</adlcp:completionThreshold>
    </item>
    <item identifier="EMPTY"><title>Not an activity</title></item>
    <imsss:sequencing><imsss:randomizationControls reorderChildren="true" randomizationTiming="once" selectCount="1" selectionTiming="onEachNewAttempt"/></imsss:sequencing>
  </organization></organizations>
  <resources><resource identifier="R" type="webcontent" adlcp:scormType="sco" href="index.html"/></resources>
</manifest>`;

const scorm12 = `<?xml version="1.0"?>
<manifest identifier="M12" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="O"><organization identifier="O"><title>297 NHS Fire Safety</title>
    <item identifier="INTRO" identifierref="R1"><title>Introduction</title>
      <adlcp:datafromlms>start=intro</adlcp:datafromlms>
      <adlcp:maxtimeallowed>00:30:00</adlcp:maxtimeallowed>
      <adlcp:timelimitaction>exit, message</adlcp:timelimitaction>
    </item>
    <item identifier="QUIZ" identifierref="R2"><title>eAssessment</title>
      <adlcp:prerequisites type="aicc_script">INTRO</adlcp:prerequisites>
      <adlcp:masteryscore>80</adlcp:masteryscore>
      <adlcp:maxtimeallowed>half an hour</adlcp:maxtimeallowed>
    </item>
  </organization></organizations>
  <resources>
    <resource identifier="R1" type="webcontent" adlcp:scormtype="sco" href="intro.html"/>
    <resource identifier="R2" type="webcontent" adlcp:scormtype="sco" href="quiz.html"/>
  </resources>
</manifest>`;

/** A real scorm-again 2004 API built from our settings; its sequencing service holds the activity tree it made. */
function scormAgainWith(sequencing: SequencingSettings) {
  const api = new Scorm2004API({ logLevel: 5, sequencing });
  const service = api.getSequencingService()!;
  const root: Activity = service.getSequencingState().rootActivity!;
  const find = (id: string, node: Activity): Activity | undefined =>
    node.id === id ? node : node.children.map((child: Activity) => find(id, child)).find(Boolean);
  return { api, service, root, activity: (id: string) => find(id, root)! };
}

/** The string values scorm-again 3.4.3 declares for an enum, a readonly tuple or a union type. */
function declared(file: string, name: string): string[] {
  const text = readFileSync(new URL(`../../node_modules/scorm-again/dist/types/${file}`, import.meta.url), "utf8");
  const [open, close] = text.includes(`enum ${name} {`) ? [`enum ${name} {`, "}"] : text.includes(`${name}: readonly [`) ? [`${name}: readonly [`, "]"] : [`type ${name} =`, ";"];
  const from = text.indexOf(open);
  expect(from, `${name} in ${file}`).toBeGreaterThanOrEqual(0);
  const body = text.slice(from + open.length, text.indexOf(close, from + open.length));
  return [...body.matchAll(/"([^"]+)"/g)].map((match) => match[1]!).sort();
}

/** Keys in O, at any depth, that T does not have (assignability alone lets a misspelt optional key through). */
type ExtraKeys<O, T> = O extends readonly (infer U)[]
  ? T extends readonly (infer V)[] ? ExtraKeys<U, V> : never
  : O extends object ? { [K in keyof O]-?: K extends keyof T ? ExtraKeys<NonNullable<O[K]>, NonNullable<T[K]>> : K }[keyof O] : never;

/** The list, sorted; it does not compile unless it names every member of T. */
const tokens = <T extends string>() => <const L extends readonly T[]>(list: L & ([T] extends [L[number]] ? unknown : never)) => [...list].sort();

describe("buildSequencingSettings", () => {
  it("targets scorm-again's SequencingSettings: same structure, same tokens", () => {
    expectTypeOf<SequencingSettings>().toMatchTypeOf<ScormAgainSequencing>();
    expectTypeOf<keyof SequencingSettings>().toMatchTypeOf<keyof ScormAgainSequencing>();
    expectTypeOf<ExtraKeys<Omit<ours.ActivitySettings, "children">, ScormAgainActivity>>().toEqualTypeOf<never>();
    const rules = "cmi/scorm2004/sequencing/sequencing_rules.d.ts";
    const rollup = "cmi/scorm2004/sequencing/rollup_rules.d.ts";
    const controls = "cmi/scorm2004/sequencing/sequencing_controls.d.ts";
    const types = "types/sequencing_types.d.ts";
    expect(tokens<ours.RuleConditionType>()([
      "satisfied", "objectiveSatisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "objectiveMeasureGreaterThan",
      "objectiveMeasureLessThan", "completed", "activityCompleted", "progressKnown", "activityProgressKnown", "attempted",
      "attemptLimitExceeded", "timeLimitExceeded", "outsideAvailableTimeRange", "always", "never",
    ])).toEqual(declared(rules, "RuleConditionType"));
    expect(tokens<ours.RuleActionType>()([
      "skip", "disabled", "hiddenFromChoice", "stopForwardTraversal", "exitParent", "exitAll", "retry", "retryAll", "continue", "previous", "exit",
    ])).toEqual(declared(rules, "RuleActionType"));
    expect(tokens<ours.RollupConditionType>()([
      "satisfied", "objectiveStatusKnown", "objectiveMeasureKnown", "objectiveMeasureGreaterThan", "objectiveMeasureLessThan",
      "completed", "progressKnown", "attempted", "attemptLimitExceeded", "notAttempted", "always",
    ])).toEqual(declared(rollup, "RollupConditionType"));
    expect(tokens<ours.RollupActionType>()(["satisfied", "notSatisfied", "completed", "incomplete"])).toEqual(declared(rollup, "RollupActionType"));
    expect(tokens<ours.RollupConsiderationType>()(["all", "any", "none", "atLeastCount", "atLeastPercent"])).toEqual(declared(rollup, "RollupConsiderationType"));
    expect(tokens<ours.SelectionTiming>()(["never", "once", "onEachNewAttempt"])).toEqual(declared(controls, "SelectionTiming"));
    expect(declared(controls, "RandomizationTiming")).toEqual(declared(controls, "SelectionTiming"));
    expect(tokens<ours.HideLmsUiItem>()(["continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll"])).toEqual(declared(types, "HIDE_LMS_UI_TOKENS"));
    expect(tokens<ours.RollupConsiderationRequirement>()(["always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"])).toEqual(declared(types, "AdlRollupConsiderationRequirement"));
  });

  it("converts a 2004 4th Edition manifest into scorm-again's activity tree", () => {
    const settings = buildSequencingSettings(parseManifest(scorm2004))!;
    const root = settings.activityTree;
    expect(root).toMatchObject({ id: "ORG", title: "297 NHS Conflict Resolution", sequencingControls: { choice: true, flow: true } });
    const module = root.children![0]!;
    const [lesson, assessment] = module.children!;
    expect(module.sequencingControls).toMatchObject({ choice: false, flow: true, objectiveMeasureWeight: 0.5 });
    expect(module.rollupRules!.rules).toEqual([{
      action: "completed", conditionCombination: "all", consideration: "atLeastPercent", minimumCount: 0, minimumPercent: 75,
      // timeLimitExceeded, which scorm-again's rollup takes as false, negated: always true
      conditions: [{ condition: "progressKnown" }, { condition: "always" }],
    }]);
    expect(module.rollupConsiderations).toMatchObject({ requiredForSatisfied: "ifNotSkipped", requiredForCompleted: "always", measureSatisfactionIfActive: false });

    // The collection is the base; what the item declares overrides it, attribute by attribute.
    expect(lesson).toMatchObject({
      id: "LESSON-1", attemptLimit: 3,
      sequencingControls: { choiceExit: false, forwardOnly: true, flow: false, rollupObjectiveSatisfied: false },
      deliveryControls: { tracked: true, completionSetByContent: true, objectiveSetByContent: false },
      primaryObjective: { objectiveID: UNNAMED_PRIMARY_OBJECTIVE, satisfiedByMeasure: false, minNormalizedMeasure: 1, mapInfo: [] },
      completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.8, progressWeight: 0.5 },
      hideLmsUi: ["previous"],
    });
    // Parsed, but kept from scorm-again, which would never deliver the lesson (see the canary below).
    expect(parseManifest(scorm2004).organization.items[0]!.children[0]!.sequencing!.attemptAbsoluteDurationLimit).toBe("PT30M");
    expect(lesson).not.toHaveProperty("attemptAbsoluteDurationLimit");

    expect(assessment!.sequencingRules).toEqual({
      preConditionRules: [{
        action: "disabled", conditionCombination: "any",
        conditions: [{ condition: "satisfied", operator: "not", referencedObjective: "lesson1-done" }, { condition: "attemptLimitExceeded" }],
      }],
      exitConditionRules: [{ action: "exit", conditionCombination: "all", conditions: [{ condition: "completed" }] }],
      postConditionRules: [{ action: "retry", conditionCombination: "all", conditions: [{ condition: "objectiveMeasureLessThan", parameters: { threshold: 0.5 } }] }],
    });
    expect(assessment).toMatchObject({ attemptLimit: 2, deliveryControls: { completionSetByContent: true, objectiveSetByContent: true } });
    expect(assessment!.primaryObjective).toEqual({
      objectiveID: "assessment-passed", satisfiedByMeasure: true, minNormalizedMeasure: 0.8,
      mapInfo: [{
        targetObjectiveID: "urn:nhs:cr:passed", readSatisfiedStatus: false, readNormalizedMeasure: true, writeSatisfiedStatus: true, writeNormalizedMeasure: true,
        readRawScore: true, writeRawScore: true, readMinScore: true, writeMinScore: false, readMaxScore: false, writeMaxScore: false,
        readCompletionStatus: true, writeCompletionStatus: true, readProgressMeasure: true, writeProgressMeasure: false,
      }],
    });
    expect(assessment!.objectives).toEqual([{
      objectiveID: "lesson1-done", satisfiedByMeasure: false, minNormalizedMeasure: 1,
      mapInfo: [{ targetObjectiveID: "urn:nhs:cr:lesson1", readSatisfiedStatus: true, readNormalizedMeasure: true, writeSatisfiedStatus: false, writeNormalizedMeasure: false }],
    }]);
  });

  it("is accepted by a real scorm-again Scorm2004API, which sequences by it", () => {
    const { api, root, activity } = scormAgainWith(buildSequencingSettings(parseManifest(scorm2004))!);
    expect(root.children.map((child) => child.id)).toEqual(["MODULE"]);
    expect(activity("MODULE").children.map((child) => [child.id, child.title])).toEqual([["LESSON-1", "Lesson 1"], ["ASSESSMENT", "eAssessment"]]);

    const lesson = activity("LESSON-1");
    expect([lesson.attemptLimit, lesson.completedByMeasure, lesson.minProgressMeasure, lesson.progressWeight]).toEqual([3, true, 0.8, 0.5]);
    expect(lesson.sequencingControls.completionSetByContent).toBe(true);
    expect(lesson.hideLmsUi).toEqual(["previous"]);

    const assessment = activity("ASSESSMENT");
    expect(assessment.primaryObjective).toMatchObject({ id: "assessment-passed", satisfiedByMeasure: true, minNormalizedMeasure: 0.8 });
    expect(assessment.scaledPassingScore).toBe(0.8);
    expect(assessment.primaryObjective!.mapInfo[0]).toMatchObject({ targetObjectiveID: "urn:nhs:cr:passed", readSatisfiedStatus: false, writeRawScore: true, readMaxScore: false });
    expect(assessment.objectives.map((objective) => objective.id)).toEqual(["lesson1-done"]);
    const [pre] = assessment.sequencingRules.preConditionRules;
    expect([pre!.action, pre!.conditionCombination, pre!.conditions.map((c: { condition: string; operator: string | null; referencedObjective: string | null }) => [c.condition, c.operator, c.referencedObjective])]).toEqual([
      "disabled", "any", [["satisfied", "not", "lesson1-done"], ["attemptLimitExceeded", null, null]],
    ]);
    expect(assessment.sequencingRules.postConditionRules[0]!.conditions[0]!.parameters.get("threshold")).toBe(0.5);
    const [rollup] = activity("MODULE").rollupRules.rules;
    expect([rollup!.consideration, rollup!.minimumPercent, rollup!.conditions.map((c: { condition: string }) => c.condition)]).toEqual(["atLeastPercent", 75, ["progressKnown", "always"]]);

    // Flow into the first lesson; the module forbids choice, so only Continue is offered.
    expect(api.lmsInitialize()).toBe("true");
    expect(api.getSequencingService()!.getSequencingState().currentActivity?.id).toBe("LESSON-1");
    expect(api.lmsGetValue("adl.nav.request_valid.continue")).toBe("true");
    expect(api.lmsGetValue("adl.nav.request_valid.previous")).toBe("false");
    expect(api.lmsGetValue("adl.nav.request_valid.choice.{target=ASSESSMENT}")).toBe("false");
  });

  it("keeps a primary objective the manifest leaves unnamed out of the SCO's cmi.objectives", () => {
    // LESSON-1's primary objective has no objectiveID (RTE 4.2.17: nothing to put in cmi.objectives).
    const settings = buildSequencingSettings(parseManifest(scorm2004))!;
    const { api, activity } = scormAgainWith(settings);
    expect(activity("LESSON-1").primaryObjective).toMatchObject({ satisfiedByMeasure: false, minNormalizedMeasure: 1 });
    expect(api.lmsInitialize()).toBe("true");
    expect(api.getSequencingService()!.getSequencingState().currentActivity?.id).toBe("LESSON-1");
    expect(api.lmsGetValue("cmi.objectives._count")).toBe("0");
  });

  it("applies the spec's defaults where scorm-again's differ: flow is off, choice on", () => {
    const settings = buildSequencingSettings(parseManifest(scorm2004third))!;
    expect(settings.activityTree.children!.map((child) => child.id)).toEqual(["SCO"]);
    expect(settings.activityTree.sequencingControls).toMatchObject({
      choice: true, choiceExit: true, flow: false, forwardOnly: false,
      randomizeChildren: true, randomizationTiming: "once", selectCount: 1, selectionTiming: "onEachNewAttempt",
    });
    // The 3rd edition's bare threshold is a run-time value, not completedByMeasure.
    expect(settings.activityTree.children![0]!.completionThreshold).toBeUndefined();

    // Without flow the Start request cannot flow into the course (SN SB.2.5): nothing is
    // delivered until the player makes a choice request, which the default choice allows.
    const { api, service, root } = scormAgainWith(settings);
    expect(root.sequencingControls.flow).toBe(false);
    expect(root.sequencingControls.randomizeChildren).toBe(true);
    expect(api.lmsInitialize()).toBe("true");
    expect(service.getSequencingState().currentActivity).toBeNull();
    expect(api.processNavigationRequest("choice", "SCO")).toBe(true);
    expect(service.getSequencingState().currentActivity?.id).toBe("SCO");
  });

  it("canary: scorm-again 3.4.3 never delivers an activity with an attemptAbsoluteDurationLimit", () => {
    // Activity.attemptAbsoluteDuration returns the limit, so UP.1 always finds it reached.
    // When this fails, scorm-again is fixed: pass the limit through in runtime-settings.ts.
    const tree = { id: "O", title: "O", sequencingControls: { flow: true }, children: [{ id: "SCO", title: "SCO", attemptAbsoluteDurationLimit: "PT30M" }] };
    const api = new Scorm2004API({ logLevel: 5, sequencing: { activityTree: tree } });
    api.lmsInitialize();
    expect(api.getSequencingService()!.getSequencingState().currentActivity).toBeNull();
  });

  it("has nothing for SCORM 1.2, whose navigation is the player's", () => {
    expect(buildSequencingSettings(parseManifest(scorm12))).toBeNull();
  });

  it("refuses an IDRef that no sequencingCollection defines", () => {
    expect(() => parseManifest(scorm2004.replace('IDRef="SEQ-LESSON"', 'IDRef="SEQ-GONE"'))).toThrow(
      expect.objectContaining({ code: "package.manifest_malformed", message: expect.stringContaining("SEQ-GONE") }),
    );
  });
});

describe("scoRuntimeSettings", () => {
  it("gives a 2004 SCO its passing score, time limits, threshold, launch data and objectives", () => {
    const manifest = parseManifest(scorm2004);
    const assessment = scoRuntimeSettings(manifest, "ASSESSMENT");
    expect(assessment).toMatchObject({ scaledPassingScore: 0.8, maxTimeAllowed: "PT1H30M", completionThreshold: null, objectiveIds: ["assessment-passed", "lesson1-done"] });
    const lesson = scoRuntimeSettings(manifest, "LESSON-1");
    expect(lesson.cmi).toEqual({
      "cmi.launch_data": "lesson=1", "cmi.max_time_allowed": "PT30M", "cmi.time_limit_action": "exit,message", "cmi.completion_threshold": "0.8",
    });
    expect(scoRuntimeSettings(parseManifest(scorm2004third), "SCO").completionThreshold).toBe(0.75);
    expect(() => scoRuntimeSettings(manifest, "NOPE")).toThrow(expect.objectContaining({ code: "package.unknown_item" }));

    const api = new Scorm2004API({ logLevel: 5 });
    api.loadFromFlattenedJSON(assessment.cmi);
    expect(api.lmsInitialize()).toBe("true");
    expect(api.lmsGetValue("cmi.scaled_passing_score")).toBe("0.8");
    expect(api.lmsGetValue("cmi.max_time_allowed")).toBe("PT1H30M");
    expect(api.lmsGetValue("cmi.objectives._count")).toBe("2");
    expect(api.lmsGetValue("cmi.objectives.1.id")).toBe("lesson1-done");
  });

  it("gives a 1.2 SCO its mastery score, launch data and time limit, dropping what scorm-again would refuse", () => {
    const manifest = parseManifest(scorm12);
    expect(manifest.organization.items[1]!.prerequisites).toBe("INTRO");
    const intro = scoRuntimeSettings(manifest, "INTRO");
    expect(intro).toMatchObject({ launchData: "start=intro", maxTimeAllowed: "00:30:00", timeLimitAction: "exit,message", masteryScore: null });
    const quiz = scoRuntimeSettings(manifest, "QUIZ");
    expect(quiz.cmi).toEqual({ "cmi.student_data.mastery_score": "80" });

    const api = new Scorm12API({ logLevel: 5 });
    api.loadFromFlattenedJSON(intro.cmi);
    expect(api.lmsInitialize()).toBe("true");
    expect(api.lmsGetValue("cmi.launch_data")).toBe("start=intro");
    expect(api.lmsGetValue("cmi.student_data.max_time_allowed")).toBe("00:30:00");
    expect(api.lmsGetValue("cmi.student_data.time_limit_action")).toBe("exit,message");
    const quizApi = new Scorm12API({ logLevel: 5 });
    quizApi.loadFromFlattenedJSON(quiz.cmi);
    quizApi.lmsInitialize();
    expect(quizApi.lmsGetValue("cmi.student_data.mastery_score")).toBe("80");
  });
});
