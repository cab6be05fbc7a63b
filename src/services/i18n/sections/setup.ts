/** Messages of the setup area, en-US; the zh-CN object below must define the same keys. */
export const setupEnUS = {} as const;

export const setupZhCN = {} satisfies Record<keyof typeof setupEnUS, string>;
