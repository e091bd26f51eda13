export {};
//# sourceMappingURL=cli-startup.d.ts.map