/** Messages of the models area, en-US; the zh-CN object below must define the same keys. */
export const modelsEnUS = {} as const;

export const modelsZhCN = {} satisfies Record<keyof typeof modelsEnUS, string>;
