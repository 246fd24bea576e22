// preload.cjs — loaded into the Portkey gateway (node --require) by harness.py, to keep it on a leash:
// - every server it starts listens on 127.0.0.1 only (its start script names no host, which means
//   every interface, and the benchmark stays on loopback);
// - it exits when its stdin closes, so it cannot outlive the harness that started it, even a
//   harness that was killed.
"use strict";
const net = require("net");
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === "number") {
    if (args.length > 1 && args[1] == null) args[1] = "127.0.0.1";
    else if (typeof args[1] !== "string") args.splice(1, 0, "127.0.0.1");
  } else if (args[0] && typeof args[0] === "object" && args[0].port !== undefined && !args[0].host) {
    args[0] = { ...args[0], host: "127.0.0.1" };
  }
  return listen.apply(this, args);
};
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
