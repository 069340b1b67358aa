import { AppError } from "../errors/app-error.js";

export type UserType = "directory" | "imported" | "manual";
export const USER_TYPES: readonly UserType[] = ["directory", "imported", "manual"];

export function parseUserName(text: string): string {
  const name = text.trim();
  if (name.length === 0 || name.length > 200) {
    throw new AppError("user_name_invalid", "A user's name must be 1 to 200 characters.", { name: text });
  }
  return name;
}

export function parseUserType(text: string): UserType {
  const type = USER_TYPES.find((t) => t === text);
  if (!type) throw new AppError("user_type_invalid", `"${text}" is not a user type.`, { type: text });
  return type;
}
