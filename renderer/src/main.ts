/// <reference types="svelte" />
import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './lib/api/connect.js';
import { applyCachedTheme } from './lib/state/settings.svelte.js';
import './styles/theme.css';

applyCachedTheme();

const target = document.getElementById('app')!;
connect().then(
  (connection) => mount(App, { target, props: { connection } }),
  (err: Error) => {
    target.textContent = err.message;
  },
);
