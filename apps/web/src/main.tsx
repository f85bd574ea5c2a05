// Entry point of the page.
import { render } from 'preact'
import { App } from './app'
import './styles.css'

const root = document.getElementById('app') as HTMLElement
// The placeholder says the page needs JavaScript; it goes once the app renders.
root.replaceChildren()
render(<App />, root)
