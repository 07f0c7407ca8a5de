export const ROLES = ["learner", "author", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  learner: "Learner",
  author: "Course author",
  admin: "L&D administrator",
};

/** An administrator may do everything an author may; an author everything a learner may. */
export function roleAllows(held: Role, needed: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(needed);
}
