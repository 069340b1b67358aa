import { describe, expect, it } from "vitest";
import { COMMAND_MODULES, routeCommand } from "./command-table.js";

describe("the command table", () => {
  it("routes exactly the commands each module declares, each path to one module", async () => {
    const seen = new Set<string>();
    for (const module of COMMAND_MODULES) {
      const declared = (await module.load()).map((command) => command.spec.path.join(" ")).sort();
      const routed = module.paths.map((path) => path.join(" ")).sort();
      expect(routed).toEqual(declared);
      for (const path of routed) {
        expect(seen.has(path), path).toBe(false);
        seen.add(path);
      }
    }
  });

  it("takes the longest path that matches", () => {
    expect(routeCommand(["sync", "runs", "--json"])?.path).toEqual(["sync", "runs"]);
    expect(routeCommand(["sync", "--account", "CxAy"])?.path).toEqual(["sync"]);
    expect(routeCommand(["domains", "add", "example.com"])?.path).toEqual(["domains", "add"]);
    expect(routeCommand(["nothing"])).toBeUndefined();
  });
});
