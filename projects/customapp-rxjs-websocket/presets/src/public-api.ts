/*
 * Public API of customapp-rxjs-websocket/presets: the configuration for each server style, from what
 * the app supplies. Pass what a preset returns to `new WebSocketController(...)`.
 */
export type { TokenSource } from './token-source';
export { roomsPreset, joinRoom, leaveRoom } from './rooms-preset';
export type { RoomsFrame, RoomsPresetOptions, RoomSubscription } from './rooms-preset';
export { channelsPreset, walker, subscribeChannel, unsubscribeChannel } from './channels-preset';
export type { ChannelsFrame, ChannelsPresetOptions } from './channels-preset';
export { handlersPreset, watch, stop, query, get, all } from './handlers-preset';
export type { HandlersFrame, HandlersPresetOptions, WatchedResource } from './handlers-preset';
export { registerPreset, registerChatPreset, joinChat, leaveChat, postChat } from './register-preset';
export type { RegisterFrame, RegisterPresetOptions, RegisterChatPresetOptions } from './register-preset';
