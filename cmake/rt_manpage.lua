-- Turns docs/cli.md into the reistijd(1) man page (pandoc -t man):
--   * the page's own title heading is dropped and the other headings move up
--     one level, so each command and topic becomes a section (.SH);
--   * NAME and SYNOPSIS are put in front: the synopsis is every "Usage:" line
--     of the page, and the intro becomes DESCRIPTION;
--   * section headings are written in capitals, as man pages are, and tables
--     are narrowed to fit 80 columns;
--   * links to the other Markdown pages keep their text only, and a SEE ALSO
--     section names the installed documentation;
--   * on a terminal the page is one long page.
-- The metadata field "description" gives the one-line text of NAME and
-- "docdir" the folder of the installed documentation.

local function text(s) return pandoc.Plain({ pandoc.Str(s) }) end

local function upper(h)
  return pandoc.walk_block(h, {
    Str = function(s) return pandoc.Str(pandoc.text.upper(s.text)) end,
    Code = function(c) return pandoc.Str(pandoc.text.upper(c.text)) end
  })
end

-- Pipe tables get their column widths from the dashes of the separator
-- line; narrow them a little so a table fits 80 columns with the indent.
function Table(t)
  for i, spec in ipairs(t.colspecs) do
    if type(spec[2]) == 'number' then spec[2] = spec[2] * 0.85 end
    t.colspecs[i] = spec
  end
  return t
end

function Link(l)
  if not l.target:match('^%a+:') then return l.content end
end

function Pandoc(doc)
  local meta = doc.meta
  local usage, body, dropped_title, seen_section = {}, {}, false, false
  for _, b in ipairs(doc.blocks) do
    if b.t == 'CodeBlock' then
      -- a synopsis: "Usage: reistijd ..." and the indented lines after it,
      -- each either another form ("reistijd batch --merge ...") or the
      -- rest of the one before
      local open = false
      for line in b.text:gmatch('[^\n]+') do
        local u = line:match('^Usage:%s+(.*)$')
        local more = open and line:match('^%s+(%S.*)$')
        if u then
          table.insert(usage, u)
          open = true
        elseif more and more:match('^reistijd%s') then
          table.insert(usage, more)
        elseif more then
          usage[#usage] = usage[#usage] .. ' ' .. more
        else
          open = false
        end
      end
    end
    if b.t == 'Header' and b.level == 1 and not dropped_title then
      dropped_title = true
    elseif b.t == 'Header' then
      b.level = math.max(1, b.level - 1)
      if b.level == 1 then
        b = upper(b)
        seen_section = true
      end
      table.insert(body, b)
    else
      table.insert(body, b)
    end
  end
  local name = pandoc.utils.stringify(meta.description or '')
  local out = {
    -- one page as long as the text on a terminal, as man shows it: tbl
    -- then never has to carry a table row over a page break (it warned
    -- when a long cell met one, wherever an edit above moved the table)
    pandoc.RawBlock('man', '.if n .pl 100000v'),
    pandoc.Header(1, 'NAME'),
    pandoc.Para({ pandoc.Str('reistijd'), pandoc.Space(), pandoc.Str('-'), pandoc.Space(),
                  pandoc.Str(name) }),
    pandoc.Header(1, 'SYNOPSIS'),
  }
  if #usage == 0 then table.insert(usage, 'reistijd <command> [options]') end
  local lines = {}
  for _, u in ipairs(usage) do
    table.insert(lines, { pandoc.Str(u) })
  end
  -- options are not hyphenated where a line breaks (--al-low-remote)
  table.insert(out, pandoc.RawBlock('man', '.nh'))
  table.insert(out, pandoc.LineBlock(lines))
  table.insert(out, pandoc.RawBlock('man', '.hy'))
  table.insert(out, pandoc.Header(1, 'DESCRIPTION'))
  for _, b in ipairs(body) do table.insert(out, b) end
  local docdir = pandoc.utils.stringify(meta.docdir or '')
  table.insert(out, pandoc.Header(1, 'SEE ALSO'))
  table.insert(out, pandoc.Para({ pandoc.Str('The'), pandoc.Space(), pandoc.Str('study'),
    pandoc.Space(), pandoc.Str('file,'), pandoc.Space(), pandoc.Str('outputs,'),
    pandoc.Space(), pandoc.Str('methods'), pandoc.Space(), pandoc.Str('and'),
    pandoc.Space(), pandoc.Str('the'), pandoc.Space(), pandoc.Str('C'),
    pandoc.Space(), pandoc.Str('library:'), pandoc.Space(), pandoc.Code(docdir) }))
  return pandoc.Pandoc(out, meta)
end
