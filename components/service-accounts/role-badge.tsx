import { Badge } from "../ui/badge";

/** A service account's organization role; admin stands out. */
export function RoleBadge({ role }: { role: "admin" | "developer" }) {
  return (
    <Badge tone={role === "admin" ? "brand" : "neutral"} className="capitalize">
      {role}
    </Badge>
  );
}
