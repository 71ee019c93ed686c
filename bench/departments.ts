import { DEPARTMENTS, type DepartmentName } from "../shared/src/config";

export function isDepartment(name: unknown): name is DepartmentName {
  return typeof name === "string" && (DEPARTMENTS as readonly string[]).includes(name);
}
