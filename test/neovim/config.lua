-- The Neovim configuration that README.md ("Other editors") documents, as the CI test runs it:
-- the 0.11+ config where vim.lsp.config exists, otherwise the FileType autocmd of older versions,
-- and the refine-on-save autocmd for all. Only the server's path (and, for the test, nothing else)
-- comes from the environment; everything below is what a user would put in their init.lua.
local server = assert(os.getenv('IAM_POLICY_REFINER_SERVER'), 'IAM_POLICY_REFINER_SERVER is not set')

local settings = { iamPolicyRefiner = { severity = { ['overbroad-wildcard'] = 'information' } } }

if vim.fn.has('nvim-0.11') == 1 then
  vim.lsp.config('iam_policy_refiner', {
    cmd = { 'node', server, '--stdio' },
    filetypes = { 'json', 'jsonc', 'yaml', 'terraform', 'hcl' },
    root_markers = { '.git', 'unused-access.json' },
    settings = settings,
  })
  vim.lsp.enable('iam_policy_refiner')
else
  -- Neovim 0.7 to 0.10: one server per root (the repository, else the folder of the nearest
  -- unused-access.json, else the file's folder).
  local clients = {}
  vim.api.nvim_create_autocmd('FileType', {
    pattern = { 'json', 'jsonc', 'yaml', 'terraform', 'hcl' },
    callback = function(args)
      local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h')
      local git = vim.fn.finddir('.git', dir .. ';')
      local findings = vim.fn.findfile('unused-access.json', dir .. ';')
      local root = git ~= '' and vim.fn.fnamemodify(git, ':p:h:h')
        or findings ~= '' and vim.fn.fnamemodify(findings, ':p:h')
        or dir
      local config = {
        name = 'iam_policy_refiner',
        cmd = { 'node', server, '--stdio' },
        root_dir = root,
        settings = settings,
        -- Neovim 0.7 neither offers workspace/configuration nor sends the settings by itself.
        on_init = function(client)
          client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
        end,
      }
      if vim.lsp.start then -- 0.8+: reuses the running server of the same name and root
        vim.lsp.start(config, { bufnr = args.buf })
      else -- 0.7
        clients[root] = clients[root] or vim.lsp.start_client(config)
        vim.lsp.buf_attach_client(args.buf, clients[root])
      end
    end,
  })
end

-- Refine on save. Synchronous, so that the edit is in the buffer before it is written
-- (vim.lsp.buf.code_action is asynchronous, and has no `apply` before 0.8).
local function refine_all(bufnr)
  local last = vim.api.nvim_buf_line_count(bufnr) - 1
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    range = {
      start = { line = 0, character = 0 },
      ['end'] = { line = last, character = #vim.api.nvim_buf_get_lines(bufnr, last, last + 1, false)[1] },
    },
    context = { only = { 'source.fixAll.iamPolicyRefiner' }, diagnostics = {} },
  }
  local results = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, 3000) or {}
  for client_id, response in pairs(results) do
    local client = vim.lsp.get_client_by_id(client_id)
    for _, action in ipairs(response.result or {}) do
      if not action.edit and client then -- the server may leave the edit to codeAction/resolve
        local resolved = client.request_sync('codeAction/resolve', action, 3000, bufnr)
        action = resolved and resolved.result or action
      end
      if action.edit and client then vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding) end
    end
  end
end

vim.api.nvim_create_autocmd('BufWritePre', {
  pattern = { '*.json', '*.yaml', '*.yml', '*.tf' },
  callback = function(args) refine_all(args.buf) end,
})
