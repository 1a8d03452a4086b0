import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './lib/api/connect.js';

const target = document.getElementById('app')!;
connect().then(
  (connection) => mount(App, { target, props: { connection } }),
  (err: Error) => {
    target.textContent = err.message;
  },
);
