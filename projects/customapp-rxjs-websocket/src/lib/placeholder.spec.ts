import { placeholder } from 'customapp-rxjs-websocket';
describe('placeholder', () => { it('is one', () => expect(placeholder).toBe(1)); });
