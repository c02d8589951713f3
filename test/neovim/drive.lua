-- Drives headless Neovim, configured by config.lua, the way a user would: opens the workspace's
-- policy.json, reads the diagnostics, hovers on s3:Get*, lets a findings file be rewritten on
-- disk, and saves (which refines). It writes what it saw as JSON to $IAM_RESULT and quits; the
-- assertions are in neovim.test.ts. Every wait is on a condition with a deadline.
local workspace = assert(os.getenv('IAM_WORKSPACE'), 'IAM_WORKSPACE is not set')
local out = assert(os.getenv('IAM_RESULT'), 'IAM_RESULT is not set')
local next_findings = assert(os.getenv('IAM_NEXT_FINDINGS'), 'IAM_NEXT_FINDINGS is not set')

local v = vim.version()
local result = { version = string.format('%d.%d.%d', v.major, v.minor, v.patch), registrations = {}, timings = {} }
local started = vim.loop.hrtime()
local function elapsed() return math.floor((vim.loop.hrtime() - started) / 1e6) end

-- Which capabilities the server registers dynamically, to report whether it asked Neovim to
-- watch files or watches them itself.
local register = vim.lsp.handlers['client/registerCapability']
vim.lsp.handlers['client/registerCapability'] = function(err, params, ctx, config)
  for _, registration in ipairs(params and params.registrations or {}) do table.insert(result.registrations, registration.method) end
  return register(err, params, ctx, config)
end

local function wait(ms, condition, what)
  if not vim.wait(ms, condition, 20) then error(string.format('timed out after %d ms waiting for %s', ms, what)) end
end

local function clients(buf)
  if vim.lsp.get_clients then return vim.lsp.get_clients({ bufnr = buf }) end
  return vim.tbl_values(vim.lsp.buf_get_clients(buf))
end

-- The server's diagnostics in the buffer, in reading order, as vim.diagnostic holds them.
local function diagnostics(buf)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.source == 'iam-policy-refiner' then
      table.insert(list, { line = d.lnum, col = d.col, severity = d.severity, code = d.code, message = d.message })
    end
  end
  table.sort(list, function(a, b) return a.line < b.line or (a.line == b.line and a.col < b.col) end)
  return list
end

local function messages(list)
  local texts = {}
  for _, d in ipairs(list) do table.insert(texts, d.message) end
  return table.concat(texts, '\n')
end

local function floating_windows()
  local wins = {}
  for _, win in ipairs(vim.api.nvim_list_wins()) do
    if vim.api.nvim_win_get_config(win).relative ~= '' then table.insert(wins, win) end
  end
  return wins
end

local function copy(from, to)
  local input = assert(io.open(from, 'rb'))
  local text = input:read('*a')
  input:close()
  local output = assert(io.open(to, 'wb'))
  output:write(text)
  output:close()
end

local function run()
  vim.cmd('edit ' .. vim.fn.fnameescape(workspace .. '/policy.json'))
  local buf = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[buf].filetype

  wait(10000, function() return #clients(buf) > 0 end, 'the server to attach')
  local client = clients(buf)[1]
  local capabilities = client.config.capabilities or vim.lsp.protocol.make_client_capabilities()
  local watched = capabilities.workspace and capabilities.workspace.didChangeWatchedFiles
  result.clientWatchesFiles = watched ~= nil and watched.dynamicRegistration == true
  result.rootDir = client.config.root_dir

  wait(10000, function() return #diagnostics(buf) > 0 end, 'diagnostics on policy.json')
  result.timings.diagnostics = elapsed()
  result.diagnostics = diagnostics(buf)

  -- Hover as a user does: cursor on s3:Get*, then the floating window that opens.
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i, line in ipairs(lines) do
    local col = line:find('s3:Get*', 1, true)
    if col then vim.api.nvim_win_set_cursor(0, { i, col }) break end
  end
  vim.lsp.buf.hover()
  wait(5000, function() return #floating_windows() > 0 end, 'the hover window')
  local float = floating_windows()[1]
  result.hover = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, false), '\n')
  vim.api.nvim_win_close(float, true)

  -- A findings file rewritten on disk by another program (here: this script, bypassing Neovim's
  -- buffers): the server must notice it, through Neovim's watcher or its own.
  local before = messages(result.diagnostics)
  local rewritten = vim.loop.hrtime()
  copy(next_findings, workspace .. '/unused-access.json')
  wait(8000, function() return messages(diagnostics(buf)) ~= before end, 'diagnostics to follow the rewritten findings file')
  result.timings.findingsPickedUpMs = math.floor((vim.loop.hrtime() - rewritten) / 1e6)
  result.diagnosticsAfterRewrite = diagnostics(buf)

  -- Refine on save: the BufWritePre autocmd of config.lua applies source.fixAll.iamPolicyRefiner.
  vim.cmd('silent write')
  result.modifiedAfterWrite = vim.bo[buf].modified
  result.timings.written = elapsed()
  -- The refined policy allows no unused action: its warnings go.
  result.diagnosticsClearedAfterSave = vim.wait(5000, function() return #diagnostics(buf) == 0 end, 20)
end

local ok, err = xpcall(run, debug.traceback)
if not ok then result.error = err end

-- Anything Neovim or its LSP client complained about, for the report.
result.messages = vim.fn.execute('messages')
local log = io.open(vim.lsp.get_log_path(), 'r')
result.lspLog = {}
if log then
  for line in log:lines() do
    if line:find('%[ERROR%]') or line:find('%[WARN%]') then table.insert(result.lspLog, line) end
  end
  log:close()
end

local file = assert(io.open(out, 'w'))
file:write(vim.fn.json_encode(result))
file:close()
vim.cmd('qall!')
