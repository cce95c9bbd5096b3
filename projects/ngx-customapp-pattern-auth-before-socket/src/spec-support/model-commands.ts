// The steps of the model-based spec (fast-check's commands API), weighted: what users do most,
// faults often enough to meet each other. Each step is a class of model-user-steps.ts,
// model-fault-steps.ts or model-race-steps.ts; model-step.ts has what they share.
import * as fc from 'fast-check';
import { LOGINS, type Model } from './model';
import { SOCKET_PATHS } from './model-app';
import {
  BlackholeCommand,
  DropCommand,
  ExpireTokensCommand,
  FailNextAuthCommand,
  RefuseCommand,
  RevokeCommand,
} from './model-fault-steps';
import { AuthDuringFaultCommand, RacingAttemptsCommand, RequestDuringFaultCommand, SwitchUserCommand } from './model-race-steps';
import type { Real } from './model-step';
import {
  LoginAgainCommand,
  LoginAsCommand,
  LoginCommand,
  LogoutCommand,
  LogoutEverywhereCommand,
  MenuEditCommand,
  OtherSessionEditsCommand,
  RequestWhileReconnectingCommand,
} from './model-user-steps';

export { checkInvariants, newReport, type Real, type RunReport } from './model-step';
export * from './model-fault-steps';
export * from './model-race-steps';
export * from './model-user-steps';

const login = fc.constantFrom(...LOGINS);
const socketPath = fc.constantFrom(undefined, SOCKET_PATHS.categories, SOCKET_PATHS.notifications);

export const commandArbitraries: fc.Arbitrary<fc.AsyncCommand<Model, Real>>[] = [
  fc.tuple(login, fc.boolean()).map(([user, right]) => new LoginCommand(user, right)),
  login.map((user) => new LoginCommand(user, true)),
  fc.constant(new LoginCommand('admin', true)),
  fc.constant(new LoginAgainCommand()),
  login.map((target) => new LoginAsCommand(target)),
  fc.constant(new LoginAsCommand('manager')),
  fc.constant(new LogoutCommand()),
  login.map((user) => new LogoutEverywhereCommand(user)),
  fc.tuple(fc.constantFrom<'add' | 'rename' | 'delete' | 'list'>('add', 'rename', 'delete', 'list'), fc.nat(9)).map(
    ([edit, pick]) => new MenuEditCommand(edit, pick),
  ),
  fc.tuple(fc.constantFrom<'drop' | 'restart'>('drop', 'restart'), socketPath).map(([how, path]) => new DropCommand(how, how === 'restart' ? undefined : path)),
  fc.tuple(fc.integer({ min: 100, max: 600 }), fc.boolean()).map(([ms, thenDrop]) => new RefuseCommand(ms, thenDrop)),
  fc.tuple(fc.integer({ min: 300, max: 1200 }), socketPath).map(([ms, path]) => new BlackholeCommand(ms, path)),
  fc.constant(new ExpireTokensCommand()),
  login.map((user) => new RevokeCommand(user)),
  fc.constant(new FailNextAuthCommand()),
  login.map((user) => new SwitchUserCommand(user)),
  fc.nat(9).map((pick) => new OtherSessionEditsCommand(pick)),
  fc.integer({ min: 100, max: 800 }).map((ms) => new RequestWhileReconnectingCommand(ms)),
  fc.tuple(
    fc.constantFrom<'login' | 'login as' | 'login again' | 'logout'>('login', 'login as', 'login again', 'logout'),
    login,
    fc.constantFrom<'drop' | 'restart' | 'blackhole' | 'expire-tokens' | 'refuse'>('drop', 'restart', 'blackhole', 'expire-tokens', 'refuse'),
    fc.integer({ min: 100, max: 1000 }),
  ).map(([act, user, fault, ms]) => new AuthDuringFaultCommand(act, user, fault, ms)),
  fc.tuple(fc.constantFrom<'login' | 'login as'>('login', 'login as'), login, login).map(
    ([kind, first, second]) => new RacingAttemptsCommand(kind, first, second),
  ),
  fc.tuple(
    fc.constantFrom<'add' | 'list'>('add', 'list'),
    fc.constantFrom<'drop' | 'restart' | 'blackhole' | 'expire-tokens' | 'delay'>('drop', 'restart', 'blackhole', 'expire-tokens', 'delay'),
    fc.integer({ min: 300, max: 1000 }),
  ).map(([edit, fault, ms]) => new RequestDuringFaultCommand(edit, fault, ms)),
];
