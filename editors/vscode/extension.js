// Starts `yearbook lsp` for yearbook.toml files and .rhai scripts.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate() {
  const command = vscode.workspace.getConfiguration('yearbook').get('path') || 'yearbook';
  client = new LanguageClient(
    'yearbook',
    'yearbook',
    { command, args: ['lsp'] },
    {
      documentSelector: [
        { scheme: 'file', pattern: '**/yearbook.toml' },
        { scheme: 'file', pattern: '**/*.rhai' },
      ],
    },
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
